import 'server-only';
import { headers } from 'next/headers';

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name);
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Request id and source address from the request headers (the proxy stamps x-request-id). */
export function contextFromHeaders(h: HeaderSource): { requestId: string | null; sourceIp: string | null } {
  const forwarded = read(h, 'x-forwarded-for')?.split(',')[0]?.trim() || null;
  return { requestId: read(h, 'x-request-id'), sourceIp: forwarded ?? read(h, 'x-real-ip') };
}

export async function requestContext() {
  return contextFromHeaders(await headers());
}
