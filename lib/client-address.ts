import { BlockList, isIP } from 'node:net';

// Who sent a request. scripts/server.mjs appends the socket's own peer address to X-Forwarded-For, so its last entry
// is always the address that really connected; entries to its left are only as honest as the proxy that added them.
// TRUSTED_PROXIES names those proxies; with none (the default, `npm start` listening directly) the peer is the client.

/** An address in the form audit rows and lockout keys use: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as plain IPv4. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  const value = raw?.trim().replace(/^\[(.*)\]$/, '$1');
  if (!value) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  const address = mapped ? mapped[1]! : value;
  return isIP(address) ? address.toLowerCase() : null;
}

/** `TRUSTED_PROXIES`: comma-separated IP addresses and CIDR blocks (IPv4 or IPv6) of the proxies in front of the portal. */
export function parseTrustedProxies(value: string | undefined): BlockList {
  const list = new BlockList();
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
      throw new Error(
        `TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR block. List the proxies in front of the portal, like "10.0.0.0/8,192.0.2.7".`,
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

function trusted(address: string, proxies: BlockList): boolean {
  return proxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

function hops(forwardedFor: string | null): string[] {
  return (forwardedFor ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The client's address: walking X-Forwarded-For from the right (the socket peer), the first hop that is not a trusted
 * proxy. A malformed entry stops the walk at the trusted hop that passed it on.
 */
export function clientAddress(forwardedFor: string | null, proxies: BlockList): string | null {
  let last: string | null = null;
  for (const hop of hops(forwardedFor).reverse()) {
    const address = normalizeAddress(hop);
    if (!address) return last;
    last = address;
    if (!trusted(address, proxies)) return address;
  }
  return last;
}

/** Whether the socket peer (the last X-Forwarded-For entry) is a trusted proxy, whose X-Request-Id may be kept. */
export function peerIsTrusted(forwardedFor: string | null, proxies: BlockList): boolean {
  const peer = normalizeAddress(hops(forwardedFor).at(-1));
  return peer !== null && trusted(peer, proxies);
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A trusted proxy's request id (when it looks like one), else a new random one. */
export function requestIdFor(sent: string | null, forwardedFor: string | null, proxies: BlockList): string {
  return sent && REQUEST_ID.test(sent) && peerIsTrusted(forwardedFor, proxies) ? sent : crypto.randomUUID();
}

let cached: { value: string | undefined; list: BlockList } | null = null;

/** The configured trusted proxies (parsed once; a bad value throws, and instrumentation.ts refuses to start with it). */
export function trustedProxies(): BlockList {
  const value = process.env.TRUSTED_PROXIES;
  if (!cached || cached.value !== value) cached = { value, list: parseTrustedProxies(value) };
  return cached.list;
}
