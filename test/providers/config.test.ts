import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG, loadFlowConfig } from '@/lib/providers/config';

describe('DEFAULT_FLOW_CONFIG', () => {
  it('has the three eligible regions of the program', () => {
    expect(DEFAULT_FLOW_CONFIG.eligibleRegions).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
  });

  it('has a Databricks workspace service in its own region for each eligible region', () => {
    for (const region of DEFAULT_FLOW_CONFIG.eligibleRegions) {
      expect(DEFAULT_FLOW_CONFIG.databricksWorkspaceServices[region]).toMatch(
        new RegExp(`^com\\.amazonaws\\.vpce\\.${region}\\.vpce-svc-[0-9a-f]{17}$`),
      );
    }
  });

  it('cannot be changed by accident', () => {
    expect(() => DEFAULT_FLOW_CONFIG.eligibleRegions.push('us-east-2')).toThrow();
  });
});

describe('loadFlowConfig', () => {
  it.each([{}, { ELIGIBLE_REGIONS: '', DATABRICKS_WORKSPACE_SERVICES: '  ' }])('keeps the defaults for %j', (env) => {
    expect(loadFlowConfig(env)).toEqual(DEFAULT_FLOW_CONFIG);
  });

  it('returns a copy that may be changed', () => {
    const config = loadFlowConfig({});
    config.eligibleRegions.push('us-east-2');
    expect(DEFAULT_FLOW_CONFIG.eligibleRegions).toHaveLength(3);
  });

  it.each([
    ['us-east-1,us-west-2', ['us-east-1', 'us-west-2']],
    [' us-east-1 , us-east-2 ', ['us-east-1', 'us-east-2']],
    ['us-east-1,us-east-1', ['us-east-1']],
    ['eu-west-1', ['eu-west-1']],
  ])('reads ELIGIBLE_REGIONS=%j', (value, regions) => {
    expect(loadFlowConfig({ ELIGIBLE_REGIONS: value }).eligibleRegions).toEqual(regions);
  });

  it.each(['us-east-1,,us-west-2', 'US-EAST-1', 'us-east-1;us-west-2', 'virginia', 'us-east-1,'])(
    'rejects ELIGIBLE_REGIONS=%j naming the variable',
    (value) => {
      expect(() => loadFlowConfig({ ELIGIBLE_REGIONS: value })).toThrow(/^ELIGIBLE_REGIONS must be/);
    },
  );

  it('explains a bad region verbatim', () => {
    expect(() => loadFlowConfig({ ELIGIBLE_REGIONS: 'us-east-1,virginia' })).toThrow(
      'ELIGIBLE_REGIONS must be a comma-separated list of AWS regions such as "us-east-1,us-west-2"; "virginia" is not a region.',
    );
  });

  it('reads DATABRICKS_WORKSPACE_SERVICES and replaces the defaults', () => {
    const service = 'com.amazonaws.vpce.us-east-2.vpce-svc-041dc2b4d7796b8d3';
    expect(loadFlowConfig({ DATABRICKS_WORKSPACE_SERVICES: JSON.stringify({ 'us-east-2': service }) }).databricksWorkspaceServices).toEqual(
      {
        'us-east-2': service,
      },
    );
  });

  it.each([
    ['{not json', 'is not valid JSON'],
    ['["com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04"]', 'must be a JSON object'],
    ['"text"', 'must be a JSON object'],
    ['{"us-east-1":"vpce-svc-09143d1e626de2f04"}', 'is not an endpoint service name'],
    ['{"us-east-1":42}', 'is not an endpoint service name'],
    ['{"virginia":"com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04"}', 'which is not an AWS region'],
  ])('rejects DATABRICKS_WORKSPACE_SERVICES=%s', (value, reason) => {
    expect(() => loadFlowConfig({ DATABRICKS_WORKSPACE_SERVICES: value })).toThrow(/^DATABRICKS_WORKSPACE_SERVICES/);
    expect(() => loadFlowConfig({ DATABRICKS_WORKSPACE_SERVICES: value })).toThrow(reason);
  });

  it('rejects a service from another region, verbatim', () => {
    expect(() =>
      loadFlowConfig({
        DATABRICKS_WORKSPACE_SERVICES: '{"us-west-2":"com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04"}',
      }),
    ).toThrow('DATABRICKS_WORKSPACE_SERVICES["us-west-2"] names a service in us-east-1, not in us-west-2.');
  });
});
