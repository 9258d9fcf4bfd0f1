import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCidr, cidrContains, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '@/lib/validation/ipv4';

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.0', 0x0a000000],
    ['255.255.255.255', 0xffffffff],
    ['192.168.1.20', 0xc0a80114],
  ])('reads %s as %i', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it.each(['10.0.0', '256.0.0.0', '10.0.0.0.0', '10.0.0.-1', '010.0.0.0', '10.0.0.1a', ' 10.0.0.0', '', '1e1.0.0.0'])(
    'rejects %j',
    (text) => {
      expect(parseIpv4(text)).toBeNull();
    },
  );

  it('formats back to dotted quad', () => {
    expect(formatIpv4(0xc0a80114)).toBe('192.168.1.20');
  });
});

describe('parseCidr', () => {
  it.each([
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.255.255.255/32', '10.255.255.255/32'],
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['10.200.3.4/9', '10.128.0.0/9'],
    ['192.168.1.77/24', '192.168.1.0/24'],
  ])('reads %s on its network %s (host bits accepted)', (text, network) => {
    const cidr = parseCidr(text);
    expect(cidr).not.toBeNull();
    expect(formatCidr(cidr!)).toBe(network);
  });

  it.each([
    '10.0.0/8',
    '256.0.0.0/8',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0',
    '10.0.0.0/08',
    '/8',
    '10.0.0.0/8/8',
    'ten.0.0.0/8',
  ])('rejects malformed %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('cidrContains', () => {
  it.each([
    ['0.0.0.0/0', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/7', '10.0.0.0/8', true],
    ['11.0.0.0/7', '10.0.0.0/8', true], // host bits set: read as 10.0.0.0/7
    ['10.0.0.0/9', '10.0.0.0/8', false],
    ['10.128.0.0/9', '10.0.0.0/8', false],
    ['10.1.0.0/16', '10.0.0.0/8', false],
    ['10.255.255.255/32', '10.0.0.0/8', false],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['10.0.0.0/8', '11.0.0.0/32', false],
    ['12.0.0.0/7', '10.0.0.0/8', false],
    ['8.0.0.0/6', '10.0.0.0/8', true],
    ['10.0.0.1/8', '10.0.0.0/8', true],
    ['172.16.0.0/12', '10.0.0.0/8', false],
    ['192.168.0.0/16', '192.168.4.0/24', true],
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['10.0.0.0/8', '0.0.0.0/0', false],
    ['10.0.0/8', '10.0.0.0/8', false],
    ['10.0.0.0/8', '10.0.0.0/33', false],
    ['256.0.0.0/8', '10.0.0.0/8', false],
  ])('%s contains %s: %s', (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });

  it('agrees with comparing first and last addresses, for any two blocks', () => {
    const block = fc.record({ address: fc.nat({ max: 0xffffffff }), prefix: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(block, block, (a, b) => {
        const outer = parseCidr(`${formatIpv4(a.address)}/${a.prefix}`)!;
        const inner = parseCidr(`${formatIpv4(b.address)}/${b.prefix}`)!;
        const size = (p: number) => 2 ** (32 - p);
        const expected = inner.network >= outer.network && inner.network + size(inner.prefix) <= outer.network + size(outer.prefix);
        return cidrContains(outer, inner) === expected;
      }),
    );
  });
});

describe('checkCidr', () => {
  it('normalises a block with host bits to its network', () => {
    expect(checkCidr(' 10.0.0.1/8 ', 'Source')).toEqual({ ok: true, value: '10.0.0.0/8' });
  });

  it('explains a malformed block verbatim', () => {
    expect(checkCidr('10.0.0/8', 'Inbound rule 1 source')).toEqual({
      ok: false,
      rule: 'cidr.format',
      message:
        'Inbound rule 1 source "10.0.0/8" is not an IPv4 CIDR block: write four numbers from 0 to 255 and a prefix length from 0 to 32, such as 10.0.0.0/8.',
    });
  });

  it('suggests /32 for a bare address', () => {
    const result = checkCidr('10.1.2.3', 'Source');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('(for a single address write 10.1.2.3/32)');
  });

  it.each([undefined, '', '   ', null])('reports an empty block (%j) as required', (value) => {
    expect(checkCidr(value, 'Source')).toEqual({
      ok: false,
      rule: 'cidr.required',
      message: 'Source is empty: enter an IPv4 CIDR block such as 10.0.0.0/8.',
    });
  });
});
