import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { databricksFlow, databricksWorkspaceService } from '@/lib/providers/databricks';
import type { FlowContext, InputPhase } from '@/lib/providers/types';

const ctx: FlowContext = { region: 'us-east-1', config: DEFAULT_FLOW_CONFIG };
const VALID = {
  region: 'us-east-1',
  backendPrivateLink: 'on',
  workspaceUsesSettings: 'on',
  workspaceUrl: 'dbc-a1b2c3d4-e5f6.cloud.databricks.com/?o=1234567890123456',
};

const rulesOf = (inputs: Record<string, unknown>, phases?: InputPhase[], context = ctx) =>
  databricksFlow.check(inputs, context, phases).map((i) => `${i.field}:${i.rule}`);

describe('Databricks prerequisites', () => {
  it('accepts a well-formed request', () => {
    expect(databricksFlow.check(VALID, ctx)).toEqual([]);
  });

  it.each([
    [{ backendPrivateLink: undefined }, ['backendPrivateLink:databricks.backend_privatelink']],
    [{ backendPrivateLink: 'off' }, ['backendPrivateLink:databricks.backend_privatelink']],
    [{ workspaceUsesSettings: false }, ['workspaceUsesSettings:databricks.private_access_settings']],
    [{ workspaceUrl: 'https://adb-1234567890123456.7.azuredatabricks.net' }, ['workspaceUrl:workspace_url.host']],
    [{ workspaceUrl: 'https://1234567890123456.7.gcp.databricks.com' }, ['workspaceUrl:workspace_url.host']],
    [{ workspaceUrl: 'http://example.com/dbc-a1b2c3d4-e5f6.cloud.databricks.com' }, ['workspaceUrl:workspace_url.host']],
    [{ workspaceUrl: 'HTTPS://DBC-A1B2C3D4-E5F6.CLOUD.DATABRICKS.COM/' }, []],
    [{ region: 'ap-south-1' }, ['region:region.eligible']],
  ])('%j → %j', (change, expected) => {
    expect(rulesOf({ ...VALID, ...change })).toEqual(expected);
  });

  it('says when the region has no known workspace service, verbatim', () => {
    const config = { ...DEFAULT_FLOW_CONFIG, eligibleRegions: [...DEFAULT_FLOW_CONFIG.eligibleRegions, 'us-east-2'] };
    expect(databricksFlow.check({ ...VALID, region: 'us-east-2' }, { region: 'us-east-2', config }, ['draft'])).toEqual([
      {
        field: 'region',
        rule: 'region.databricks_service',
        message:
          'Region us-east-2 has no known Databricks workspace endpoint service, so the edge cannot connect to it yet: choose us-east-1, us-west-2 or eu-west-1, or ask your CSM when us-east-2 will be supported.',
      },
    ]);
  });

  it('accepts a region whose service the configuration adds', () => {
    const config = {
      eligibleRegions: ['us-east-2'],
      databricksWorkspaceServices: { 'us-east-2': 'com.amazonaws.vpce.us-east-2.vpce-svc-041dc2b4d7796b8d3' },
    };
    expect(rulesOf({ ...VALID, region: 'us-east-2' }, undefined, { region: 'us-east-2', config })).toEqual([]);
  });

  it('leaves the workspace URL for after the endpoint exists', () => {
    const draft = { region: 'eu-west-1', backendPrivateLink: true };
    expect(rulesOf(draft, ['draft', 'details'])).toEqual([]);
    expect(rulesOf(draft, ['after_endpoint'])).toEqual([
      'workspaceUsesSettings:databricks.private_access_settings',
      'workspaceUrl:workspace_url.required',
    ]);
  });

  it('stores the normalised workspace URL, idempotently', () => {
    const stored = databricksFlow.normalise(VALID, ctx);
    expect(stored).toEqual({
      region: 'us-east-1',
      backendPrivateLink: true,
      workspaceUsesSettings: true,
      workspaceUrl: 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com',
    });
    expect(databricksFlow.normalise(stored, ctx)).toEqual(stored);
  });

  it.each([
    ['us-east-1', 'com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04'],
    ['eu-west-1', 'com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016'],
    ['us-east-2', undefined],
    ['constructor', undefined],
  ])('finds the workspace service for %s', (region, service) => {
    expect(databricksWorkspaceService(region, DEFAULT_FLOW_CONFIG)).toBe(service);
  });
});
