import { describe, expect, it } from 'vitest';
import { inputWarnings } from '@/lib/validation/warnings';

const ctx = { edgeAccountId: '111122223333', edgeCidr: '10.0.0.0/8' };
const rules = (...cidrs: string[]) => cidrs.map((cidr) => ({ cidr, protocol: 'tcp', fromPort: 5432, toPort: 5432 }));

describe('warnings on allowed answers', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an inbound rule open to every address',
      { inboundEnforcement: 'on', inboundRules: rules('0.0.0.0/0') },
      ['inboundRules:nlb.open_to_all'],
    ],
    [
      'the open rule among others, named by its number',
      { inboundEnforcement: 'on', inboundRules: rules('10.0.0.0/8', '0.0.0.0/0') },
      ['inboundRules:nlb.open_to_all'],
    ],
    ['the edge block only', { inboundEnforcement: 'on', inboundRules: rules('10.0.0.0/8') }, []],
    ['an open rule while the NLB does not enforce rules', { inboundEnforcement: 'off', inboundRules: rules('0.0.0.0/0') }, []],
    ['a /1 that is not all addresses', { inboundEnforcement: 'on', inboundRules: rules('0.0.0.0/1') }, []],
    ["the edge account's own ID", { awsAccountId: '111122223333' }, ['awsAccountId:aws_account_id.is_edge']],
    ['another account', { awsAccountId: '123456789012' }, []],
    ['nothing given', {}, []],
  ])('%s', (_, stored, expected) => {
    expect(inputWarnings(stored, ctx).map((w) => `${w.field}:${w.rule}`)).toEqual(expected);
  });

  it('says which rule is open and what to narrow it to', () => {
    const [w] = inputWarnings({ inboundEnforcement: 'on', inboundRules: rules('10.0.0.0/8', '0.0.0.0/0') }, ctx);
    expect(w?.message).toMatch(/^Inbound rule 2 admits 0\.0\.0\.0\/0.*allowed.*10\.0\.0\.0\/8/);
  });

  it('does not compare with an edge account the case does not show yet', () => {
    expect(inputWarnings({ awsAccountId: '111122223333' }, { edgeCidr: '10.0.0.0/8' })).toEqual([]);
  });
});
