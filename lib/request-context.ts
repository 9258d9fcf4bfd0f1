import 'server-only';
import { headers } from 'next/headers';
import { clientAddress, trustedProxies } from './client-address';

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name);
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? null);
}

/**
 * Request id and source address of a request. proxy.ts replaces X-Request-Id on every request (keeping it only from a
 * trusted proxy); the address is the first untrusted hop of X-Forwarded-For (lib/client-address.ts), never what the
 * client wrote there itself.
 */
export function contextFromHeaders(h: HeaderSource): { requestId: string | null; sourceIp: string | null } {
  return { requestId: read(h, 'x-request-id'), sourceIp: clientAddress(read(h, 'x-forwarded-for'), trustedProxies()) };
}

export async function requestContext() {
  return contextFromHeaders(await headers());
}
