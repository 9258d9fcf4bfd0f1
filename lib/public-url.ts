/**
 * The portal's public origin: `NEXTAUTH_URL`, else `http://localhost:$PORT` (what scripts/start.mjs also sets). The
 * one place redirects, the same-origin check and transport headers learn where the portal lives; never the request's
 * own Host header, which the client chooses.
 */
export function publicUrl(env: Record<string, string | undefined> = process.env): URL {
  return new URL(env.NEXTAUTH_URL || `http://localhost:${env.PORT || '3000'}`);
}

export function publicOrigin(env: Record<string, string | undefined> = process.env): string {
  return publicUrl(env).origin;
}

/**
 * Where to go after signing in: the value as a path on this portal, or `fallback` when it is missing or leads anywhere
 * else. The browser's own URL parser decides (backslashes, tabs, `//host`, `/\host` and absolute URLs are all read the
 * way a browser would), and the result must resolve to the same origin once more, so that `/.//evil.example` (whose
 * path is `//evil.example`) cannot turn into a protocol-relative URL.
 */
export function safeCallbackPath(value: unknown, ownOrigin: string, fallback = '/'): string {
  if (typeof value !== 'string' || value === '') return fallback;
  let url: URL;
  try {
    url = new URL(value, ownOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== ownOrigin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return new URL(path, ownOrigin).origin === ownOrigin && !path.startsWith('//') ? path : fallback;
}
