import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inboundRulesField, parseInboundRules, ruleAdmits, type InboundRule } from '@/lib/validation/inbound-rules';

const tcp = (cidr: string, fromPort: number, toPort: number): InboundRule => ({ cidr, protocol: 'tcp', fromPort, toPort });

describe('ruleAdmits 10.0.0.0/8 on port 5432', () => {
  it.each<[string, InboundRule, boolean]>([
    ['the edge CIDR on the exact port', tcp('10.0.0.0/8', 5432, 5432), true],
    ['0.0.0.0/0 on a range holding the port', tcp('0.0.0.0/0', 5000, 6000), true],
    ['10.0.0.0/7 on all TCP ports', tcp('10.0.0.0/7', 0, 65535), true],
    ['the edge CIDR with the port as the range start', tcp('10.0.0.0/8', 5432, 5440), true],
    ['the edge CIDR with the port as the range end', tcp('10.0.0.0/8', 5400, 5432), true],
    ['all traffic from the edge CIDR', { cidr: '10.0.0.0/8', protocol: 'all' }, true],
    ['10.0.0.0/9 only', tcp('10.0.0.0/9', 5432, 5432), false],
    ['10.1.0.0/16 only', tcp('10.1.0.0/16', 5432, 5432), false],
    ['10.255.255.255/32 only', tcp('10.255.255.255/32', 5432, 5432), false],
    ['the edge CIDR on another port', tcp('10.0.0.0/8', 5433, 5433), false],
    ['the edge CIDR on a range ending below the port', tcp('10.0.0.0/8', 5000, 5431), false],
    ['the edge CIDR on a range starting above the port', tcp('10.0.0.0/8', 5433, 6000), false],
    ['UDP from the edge CIDR', { cidr: '10.0.0.0/8', protocol: 'udp', fromPort: 5432, toPort: 5432 }, false],
    ['ICMP from the edge CIDR', { cidr: '10.0.0.0/8', protocol: 'icmp' }, false],
    ['172.16.0.0/12', tcp('172.16.0.0/12', 5432, 5432), false],
  ])('%s: %s', (_, rule, expected) => {
    expect(ruleAdmits(rule, '10.0.0.0/8', 5432)).toBe(expected);
  });
});

describe('parseInboundRules', () => {
  it('reads form strings, defaults the protocol to TCP and normalises host bits', () => {
    expect(parseInboundRules([{ cidr: '10.0.0.1/8', fromPort: '5432', toPort: '5432' }])).toEqual({
      rules: [{ cidr: '10.0.0.0/8', protocol: 'tcp', fromPort: 5432, toPort: 5432 }],
      problems: [],
    });
  });

  it('reads the JSON text a form posts', () => {
    const { rules } = parseInboundRules('[{"cidr":"0.0.0.0/0","fromPort":0,"toPort":65535,"protocol":"TCP"}]');
    expect(rules).toEqual([{ cidr: '0.0.0.0/0', protocol: 'tcp', fromPort: 0, toPort: 65535 }]);
  });

  it.each([
    ['-1', 'all'],
    ['all', 'all'],
    ['All traffic', 'all'],
    ['6', 'tcp'],
    ['udp', 'udp'],
  ])('reads protocol %j as %s', (protocol, expected) => {
    const { rules } = parseInboundRules([{ cidr: '10.0.0.0/8', fromPort: 1, toPort: 2, protocol }]);
    expect(rules[0]?.protocol).toBe(expected);
  });

  it('takes fromPort alone as a single port', () => {
    expect(parseInboundRules([{ cidr: '10.0.0.0/8', fromPort: 5432 }]).rules).toEqual([tcp('10.0.0.0/8', 5432, 5432)]);
  });

  it.each([undefined, null, '', '  '])('reads %j as no rules', (value) => {
    expect(parseInboundRules(value)).toEqual({ rules: [], problems: [] });
  });

  it.each<[unknown, string, string]>([
    [[{ cidr: '10.0.0/8', fromPort: 5432, toPort: 5432 }], '0.cidr', 'cidr.format'],
    [[{ cidr: '256.0.0.0/8', fromPort: 5432, toPort: 5432 }], '0.cidr', 'cidr.format'],
    [[{ cidr: '10.0.0.0/33', fromPort: 5432, toPort: 5432 }], '0.cidr', 'cidr.format'],
    [[{ fromPort: 5432, toPort: 5432 }], '0.cidr', 'cidr.required'],
    [[{ cidr: '10.0.0.0/8', fromPort: 5433, toPort: 5432 }], '0.toPort', 'inbound_rule.port_order'],
    [[{ cidr: '10.0.0.0/8', fromPort: 70000, toPort: 70000 }], '0.fromPort', 'port.range'],
    [[{ cidr: '10.0.0.0/8', fromPort: 5432, toPort: 'x' }], '0.toPort', 'port.integer'],
    [[{ cidr: '10.0.0.0/8' }], '0.fromPort', 'port.required'],
    [[{ cidr: '10.0.0.0/8', fromPort: 1, toPort: 2, protocol: 'gre' }], '0.protocol', 'inbound_rule.protocol'],
    [[tcp('10.0.0.0/8', 5432, 5432), 'rule'], '1', 'inbound_rule.format'],
    ['not json', '', 'inbound_rules.format'],
    [{ cidr: '10.0.0.0/8' }, '', 'inbound_rules.format'],
  ])('reports %j at %j (%s)', (value, path, rule) => {
    const { problems } = parseInboundRules(value);
    expect(problems.map((p) => [p.path.join('.'), p.rule])).toContainEqual([path, rule]);
  });

  it('keeps the valid rules when another is broken', () => {
    const { rules, problems } = parseInboundRules([{ cidr: 'bad' }, tcp('10.0.0.0/8', 5432, 5432)]);
    expect(rules).toEqual([tcp('10.0.0.0/8', 5432, 5432)]);
    expect(problems.map((p) => p.path.join('.'))).toEqual(['0.cidr', '0.fromPort']);
  });

  it('explains a reversed port range verbatim', () => {
    expect(parseInboundRules([{ cidr: '10.0.0.0/8', fromPort: 5433, toPort: 5432 }]).problems).toEqual([
      {
        path: [0, 'toPort'],
        rule: 'inbound_rule.port_order',
        message: 'Inbound rule 1 port range 5433–5432 ends before it starts: make the from port no larger than the to port.',
      },
    ]);
  });

  it('reports problems as zod issues at their paths', () => {
    const result = z.object({ inboundRules: inboundRulesField() }).safeParse({ inboundRules: [{ cidr: '10.0.0/8', fromPort: 1 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['inboundRules', 0, 'cidr']);
  });
});
