import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, parseTrustedProxies, peerIsTrusted, requestIdFor } from '@/lib/client-address';

// The address a request is audited and throttled under. scripts/server.mjs appends the socket's peer to
// X-Forwarded-For, so the last entry is the one that really connected.
const none = parseTrustedProxies(undefined);
const lb = parseTrustedProxies('10.0.0.0/8, 192.0.2.7,2001:db8::/32');

describe('clientAddress', () => {
  it.each([
    // [X-Forwarded-For as the app sees it, trusted list, expected client]
    ['127.0.0.1', none, '127.0.0.1'],
    ['::ffff:127.0.0.1', none, '127.0.0.1'],
    ['::1', none, '::1'],
    ['203.0.113.9, 127.0.0.1', none, '127.0.0.1'], // a client-written entry is ignored when nothing is trusted
    ['6.6.6.6, 7.7.7.7, 127.0.0.1', none, '127.0.0.1'],
    ['198.51.100.4, 10.1.2.3', lb, '198.51.100.4'], // the load balancer's own entry is believed
    ['6.6.6.6, 198.51.100.4, 10.1.2.3', lb, '198.51.100.4'], // but not what the client wrote before it
    ['198.51.100.4, 192.0.2.7, 10.9.9.9', lb, '198.51.100.4'], // two trusted hops
    ['2001:db8::5', lb, '2001:db8::5'], // only trusted hops: the farthest one
    ['not-an-ip, 10.1.2.3', lb, '10.1.2.3'], // garbage stops the walk at the hop that passed it on
    ['198.51.100.4, 203.0.113.50', lb, '203.0.113.50'], // an untrusted peer: its own address, whatever it forwarded
    ['', none, null],
    [null, none, null],
  ])('%j with trust %# → %s', (xff, trust, expected) => {
    expect(clientAddress(xff, trust)).toBe(expected);
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['[::1]', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['10.0.0.1:5555', null],
    ['localhost', null],
  ])('%s → %s', (raw, expected) => expect(normalizeAddress(raw)).toBe(expected));
});

describe('parseTrustedProxies', () => {
  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/8', '2001:db8::/129', '10.0.0.0/x'])('refuses %s naming it', (bad) => {
    expect(() => parseTrustedProxies(`192.0.2.1,${bad}`)).toThrow(`TRUSTED_PROXIES: "${bad}" is not an IP address or CIDR block`);
  });
});

describe('request ids', () => {
  it('keeps a trusted proxy’s id and replaces anyone else’s', () => {
    expect(requestIdFor('lb-42', '198.51.100.4, 10.1.2.3', lb)).toBe('lb-42');
    expect(requestIdFor('forged', '127.0.0.1', none)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdFor('forged', '10.1.2.3, 203.0.113.50', lb)).not.toBe('forged');
    expect(requestIdFor('bad id\nInjected: 1', '10.1.2.3', lb)).not.toContain('Injected');
    expect(peerIsTrusted('203.0.113.50, 10.1.2.3', lb)).toBe(true);
    expect(peerIsTrusted('10.1.2.3, 203.0.113.50', lb)).toBe(false);
  });
});
