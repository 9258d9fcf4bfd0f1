import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { redshiftFlow } from '@/lib/providers/redshift';
import type { FlowContext } from '@/lib/providers/types';

const ctx: FlowContext = { region: 'us-east-1', config: DEFAULT_FLOW_CONFIG };

// As the wizard's forms post them.
const VALID = {
  region: 'us-east-1',
  nodeType: 'ra3.xlplus',
  relocationEnabled: 'on',
  port: '5439',
  clusterIdentifier: 'analytics-prod',
  awsAccountId: '1234-5678-9012',
};

const rulesOf = (inputs: Record<string, unknown>, phases?: Parameters<typeof redshiftFlow.check>[2]) =>
  redshiftFlow.check(inputs, ctx, phases).map((i) => `${i.field}:${i.rule}`);

describe('Redshift prerequisites', () => {
  it('accepts a well-formed request', () => {
    expect(redshiftFlow.check(VALID, ctx)).toEqual([]);
  });

  it.each([
    [5430, ['port:redshift.port']],
    [5431, []],
    [5455, []],
    [5456, ['port:redshift.port']],
    [8190, ['port:redshift.port']],
    [8191, []],
    [8215, []],
    [8216, ['port:redshift.port']],
    [5439, []],
    [0, ['port:port.range']],
    [-1, ['port:port.range']],
    [65536, ['port:port.range']],
    [5439.5, ['port:port.integer']],
    ['5439.5', ['port:port.integer']],
    ['54 39', ['port:port.integer']],
    ['', ['port:port.required']],
  ])('port %j → %j', (port, expected) => {
    expect(rulesOf({ ...VALID, port })).toEqual(expected);
  });

  it('rejects port 5456 for Redshift with the pinned message', () => {
    expect(redshiftFlow.check({ ...VALID, port: '5456' }, ctx)).toEqual([
      {
        field: 'port',
        rule: 'redshift.port',
        message: 'Port 5456 is outside the ports Redshift PrivateLink allows: use a port in 5431–5455 or 8191–8215.',
      },
    ]);
  });

  it.each(['dc2.large', 'dc2.8xlarge', 'ds2.xlarge', 'ds2.8xlarge'])('rejects node type %s, asking for RA3', (nodeType) => {
    const issues = redshiftFlow.check({ ...VALID, nodeType }, ctx);
    expect(issues.map((i) => i.rule)).toEqual(['node_type.ra3']);
    expect(issues[0]?.message).toContain('requires an RA3 node type');
  });

  it.each(['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'])('accepts node type %s', (nodeType) => {
    expect(redshiftFlow.check({ ...VALID, nodeType }, ctx)).toEqual([]);
  });

  it.each([undefined, false, 'off', '', 'false'])('requires relocation to be on (given %j)', (relocationEnabled) => {
    expect(rulesOf({ ...VALID, relocationEnabled })).toEqual(['relocationEnabled:redshift.relocation']);
  });

  it.each([true, 'on', 'true'])('accepts relocation confirmed as %j', (relocationEnabled) => {
    expect(rulesOf({ ...VALID, relocationEnabled })).toEqual([]);
  });

  it.each([
    ['eu-central-1', ['region:region.eligible']],
    ['us-east-2', ['region:region.eligible']],
    ['', ['region:region.required']],
    ['EU-WEST-1', []],
  ])('region %j → %j', (region, expected) => {
    expect(rulesOf({ ...VALID, region })).toEqual(expected);
  });

  it('accepts a region added by configuration', () => {
    const wider: FlowContext = { region: 'us-east-2', config: { ...DEFAULT_FLOW_CONFIG, eligibleRegions: ['us-east-2'] } };
    expect(redshiftFlow.check({ ...VALID, region: 'us-east-2' }, wider)).toEqual([]);
  });

  it.each([
    [{ clusterIdentifier: 'Analytics' }, ['clusterIdentifier:cluster_identifier.characters']],
    [{ clusterIdentifier: 'analytics-' }, ['clusterIdentifier:cluster_identifier.end']],
    [{ awsAccountId: '12345678901' }, ['awsAccountId:aws_account_id.format']],
  ])('details %j → %j', (change, expected) => {
    expect(rulesOf({ ...VALID, ...change })).toEqual(expected);
  });

  it('checks the draft without asking for the details yet', () => {
    const { region, nodeType, relocationEnabled, port } = VALID;
    expect(redshiftFlow.check({ region, nodeType, relocationEnabled, port }, ctx, ['draft'])).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(rulesOf({ region: 'ap-south-1', nodeType: 'dc2.large', port: 8216 }, ['draft', 'details']).sort()).toEqual(
      [
        'region:region.eligible',
        'nodeType:node_type.ra3',
        'relocationEnabled:redshift.relocation',
        'port:redshift.port',
        'clusterIdentifier:cluster_identifier.required',
        'awsAccountId:aws_account_id.required',
      ].sort(),
    );
  });

  it('normalises the form values for storage', () => {
    expect(redshiftFlow.normalise({ ...VALID, extra: 'x' }, ctx)).toEqual({
      region: 'us-east-1',
      nodeType: 'ra3.xlplus',
      relocationEnabled: true,
      port: 5439,
      clusterIdentifier: 'analytics-prod',
      awsAccountId: '123456789012',
    });
  });

  it('keeps invalid values as typed and normalises idempotently', () => {
    const once = redshiftFlow.normalise({ ...VALID, port: '99999' }, ctx);
    expect(once.port).toBe('99999');
    expect(redshiftFlow.normalise(once, ctx)).toEqual(once);
  });
});

describe('Redshift endpoint values for the customer', () => {
  it('hands back the host and the port as two values to copy', () => {
    expect(redshiftFlow.outputs.map((o) => [o.key, o.label])).toEqual([
      ['host', 'Hostname'],
      ['port', 'Port'],
    ]);
  });

  it.each([
    [
      { hostname: 'plp-1-endpoint-x.123456789012.us-east-1.redshift.amazonaws.com:5439' },
      'plp-1-endpoint-x.123456789012.us-east-1.redshift.amazonaws.com',
      5439,
    ],
    [{ hostname: 'h.example:8191' }, 'h.example', 8191],
    [{ host: 'h.example', port: 5440 }, 'h.example', 5440],
  ])('reads %j as host %s and port %i', (outputs, host, port) => {
    expect(redshiftFlow.readOutputs?.(outputs)).toMatchObject({ host, port });
  });
});
