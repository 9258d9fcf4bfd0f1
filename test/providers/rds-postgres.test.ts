import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { rdsPostgresFlow } from '@/lib/providers/rds-postgres';
import type { FlowContext, InputPhase } from '@/lib/providers/types';

const ctx: FlowContext = { region: 'us-east-1', config: DEFAULT_FLOW_CONFIG };
const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

const ENFORCEMENT_OFF = {
  region: 'us-east-1',
  endpointServiceName: SERVICE,
  databasePort: '5432',
  inboundEnforcement: 'off',
  allowedPrincipalAdded: 'on',
};
const rule = (cidr: string, fromPort: number | string, toPort: number | string, protocol?: string) => ({
  cidr,
  fromPort,
  toPort,
  ...(protocol ? { protocol } : {}),
});
const ENFORCEMENT_ON = { ...ENFORCEMENT_OFF, inboundEnforcement: 'on', inboundRules: [rule('10.0.0.0/8', 5432, 5432)] };

const rulesOf = (inputs: Record<string, unknown>, phases?: InputPhase[]) =>
  rdsPostgresFlow.check(inputs, ctx, phases).map((i) => `${i.field}:${i.rule}`);

describe('RDS Postgres prerequisites', () => {
  it.each([
    ['enforcement off', ENFORCEMENT_OFF],
    ['enforcement on with the edge rule', ENFORCEMENT_ON],
  ])('accepts a well-formed request with %s', (_, inputs) => {
    expect(rdsPostgresFlow.check(inputs, ctx)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['0.0.0.0/0 on the port', [rule('0.0.0.0/0', 5432, 5432)], []],
    ['10.0.0.0/8 on the port', [rule('10.0.0.0/8', 5432, 5432)], []],
    ['10.0.0.0/7 on the port', [rule('10.0.0.0/7', 5432, 5432)], []],
    ['10.0.0.0/8 on a range holding the port', [rule('10.0.0.0/8', 5000, 6000)], []],
    ['10.0.0.0/8 with host bits set', [rule('10.0.0.1/8', 5432, 5432)], []],
    ['all traffic from 10.0.0.0/8', [{ cidr: '10.0.0.0/8', protocol: '-1' }], []],
    ['one good rule among others', [rule('192.168.0.0/16', 5432, 5432), rule('10.0.0.0/8', 5432, 5432)], []],
    ['10.0.0.0/9 only', [rule('10.0.0.0/9', 5432, 5432)], ['inboundRules:nlb.edge_cidr']],
    ['10.1.0.0/16 only', [rule('10.1.0.0/16', 5432, 5432)], ['inboundRules:nlb.edge_cidr']],
    ['10.255.255.255/32 only', [rule('10.255.255.255/32', 5432, 5432)], ['inboundRules:nlb.edge_cidr']],
    [
      'two /9 halves (one rule must cover it)',
      [rule('10.0.0.0/9', 5432, 5432), rule('10.128.0.0/9', 5432, 5432)],
      ['inboundRules:nlb.edge_cidr'],
    ],
    ['10.0.0.0/8 on another port', [rule('10.0.0.0/8', 5433, 5433)], ['inboundRules:nlb.edge_cidr']],
    ['10.0.0.0/8 on a range below the port', [rule('10.0.0.0/8', 3306, 5431)], ['inboundRules:nlb.edge_cidr']],
    ['UDP from 10.0.0.0/8', [rule('10.0.0.0/8', 5432, 5432, 'udp')], ['inboundRules:nlb.edge_cidr']],
    ['no rules', [], ['inboundRules:nlb.edge_cidr']],
    ['rules absent', undefined, ['inboundRules:nlb.edge_cidr']],
    ['a malformed source', [rule('10.0.0/8', 5432, 5432)], ['inboundRules.0.cidr:cidr.format', 'inboundRules:nlb.edge_cidr']],
    [
      'a malformed rule beside a good one',
      [rule('256.0.0.0/8', 5432, 5432), rule('10.0.0.0/8', 5432, 5432)],
      ['inboundRules.0.cidr:cidr.format'],
    ],
    ['a reversed range', [rule('10.0.0.0/8', 5433, 5432)], ['inboundRules.0.toPort:inbound_rule.port_order', 'inboundRules:nlb.edge_cidr']],
    ['JSON text from the form', '[{"cidr":"10.0.0.0/8","fromPort":"5432","toPort":"5432"}]', []],
  ])('with enforcement on, %s → %j', (_, inboundRules, expected) => {
    expect(rulesOf({ ...ENFORCEMENT_ON, inboundRules })).toEqual(expected);
  });

  it('checks the rules against the database port given', () => {
    expect(rulesOf({ ...ENFORCEMENT_ON, databasePort: '6543' })).toEqual(['inboundRules:nlb.edge_cidr']);
    expect(rulesOf({ ...ENFORCEMENT_ON, databasePort: '6543', inboundRules: [rule('10.0.0.0/8', 6543, 6543)] })).toEqual([]);
  });

  it('explains a missing edge rule verbatim', () => {
    expect(rdsPostgresFlow.check({ ...ENFORCEMENT_ON, inboundRules: [rule('10.0.0.0/9', 5432, 5432)] }, ctx)).toEqual([
      {
        field: 'inboundRules',
        rule: 'nlb.edge_cidr',
        message:
          'No inbound rule admits all of 10.0.0.0/8 on database port 5432: add a TCP rule with source 10.0.0.0/8 and port 5432, or turn off "Enforce inbound rules on PrivateLink traffic" on the NLB.',
      },
    ]);
  });

  it('ignores the rules, even broken ones, when enforcement is off', () => {
    expect(rulesOf({ ...ENFORCEMENT_OFF, inboundRules: [rule('bad', 'x', 'y')] })).toEqual([]);
  });

  it.each([
    [undefined, ['inboundEnforcement:nlb.enforcement']],
    ['sometimes', ['inboundEnforcement:nlb.enforcement']],
    ['OFF', []],
  ])('inbound enforcement %j → %j', (inboundEnforcement, expected) => {
    expect(rulesOf({ ...ENFORCEMENT_OFF, inboundEnforcement })).toEqual(expected);
  });

  it.each([
    ['0', ['databasePort:port.range']],
    ['65536', ['databasePort:port.range']],
    ['5432.1', ['databasePort:port.integer']],
    ['', ['databasePort:port.required']],
    ['1', ['inboundRules:nlb.edge_cidr']],
    ['65535', ['inboundRules:nlb.edge_cidr']],
    ['5432', []],
  ])('database port %j → %j (rules checked only against a valid port)', (databasePort, expected) => {
    expect(rulesOf({ ...ENFORCEMENT_ON, databasePort })).toEqual(expected);
  });

  it.each([
    ['com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef', ['endpointServiceName:service_name.format']],
    ['vpce-svc-0123456789abcdef0', ['endpointServiceName:service_name.format']],
    ['com.amazonaws.us-east-1.rds', ['endpointServiceName:service_name.format']],
    ['', ['endpointServiceName:service_name.required']],
    ['com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0', ['endpointServiceName:region.match']],
    ['com.amazonaws.vpce.eu-central-1.vpce-svc-0123456789abcdef0', ['endpointServiceName:region.match']],
    [' COM.AMAZONAWS.VPCE.US-EAST-1.VPCE-SVC-0123456789ABCDEF0 ', []],
  ])('endpoint service name %j → %j', (endpointServiceName, expected) => {
    expect(rulesOf({ ...ENFORCEMENT_OFF, endpointServiceName })).toEqual(expected);
  });

  it('names both regions when the service is in another one, verbatim', () => {
    expect(
      rdsPostgresFlow.check({ ...ENFORCEMENT_OFF, endpointServiceName: 'com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0' }, ctx),
    ).toEqual([
      {
        field: 'endpointServiceName',
        rule: 'region.match',
        message: 'Endpoint service name is in us-west-2, but this case is in us-east-1: use an endpoint service in us-east-1.',
      },
    ]);
  });

  it('compares with the region being chosen rather than the stored one', () => {
    const west = {
      ...ENFORCEMENT_OFF,
      region: 'us-west-2',
      endpointServiceName: 'com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0',
    };
    expect(rdsPostgresFlow.check(west, ctx)).toEqual([]);
  });

  it('asks nothing to confirm in the details phase: the allowed principal is checked from the edge account', () => {
    expect(rulesOf({ ...ENFORCEMENT_OFF, allowedPrincipalAdded: undefined }, ['details'])).toEqual([]);
    expect(rdsPostgresFlow.customerSteps.find((s) => s.phase === 'details')?.fields).toEqual([]);
  });

  it('normalises rules, port and service name for storage', () => {
    const stored = rdsPostgresFlow.normalise(
      { ...ENFORCEMENT_ON, endpointServiceName: SERVICE.toUpperCase(), inboundRules: [rule('10.9.9.9/8', '5432', '5432', 'TCP')] },
      ctx,
    );
    expect(stored).toEqual({
      region: 'us-east-1',
      endpointServiceName: SERVICE,
      databasePort: 5432,
      inboundEnforcement: 'on',
      inboundRules: [{ cidr: '10.0.0.0/8', protocol: 'tcp', fromPort: 5432, toPort: 5432 }],
    });
    expect(rdsPostgresFlow.normalise(stored, ctx)).toEqual(stored);
    expect(rdsPostgresFlow.check(stored, ctx)).toEqual([]);
  });
});

describe('RDS Postgres with an ineligible region', () => {
  const messages = (inputs: Record<string, unknown>) => rdsPostgresFlow.check(inputs, { ...ctx, region: 'ap-south-1' }, ['draft']);

  it('does not tell the customer to use an endpoint service in the ineligible region', () => {
    const issues = messages({ ...ENFORCEMENT_OFF, region: 'ap-south-1' });
    expect(issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['region:region.eligible']);
    expect(issues[0]!.message).toBe('Region ap-south-1 is not eligible for PrivateLink: choose us-east-1, us-west-2 or eu-west-1.');
  });

  it('names the eligible regions for a service that is itself in an ineligible one', () => {
    const issues = messages({
      ...ENFORCEMENT_OFF,
      region: 'ap-south-1',
      endpointServiceName: 'com.amazonaws.vpce.ap-south-1.vpce-svc-0123456789abcdef0',
    });
    expect(issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['region:region.eligible', 'endpointServiceName:region.eligible']);
    expect(issues[1]!.message).toContain('use an endpoint service in us-east-1, us-west-2 or eu-west-1');
    expect(issues.some((i) => i.message.includes('use an endpoint service in ap-south-1'))).toBe(false);
  });
});
