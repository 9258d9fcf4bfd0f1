import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { requestIdFor, trustedProxies } from '@/lib/client-address';
import { publicOrigin, publicUrl } from '@/lib/public-url';

// Only redirects the signed-out to /signin, stamps a request id and sets the security headers. No authorization here:
// every page, action and route checks the policy on the server (docs/design.md#authorization-and-conventions). API
// routes answer 401 themselves.
const PUBLIC = [/^\/signin(\/|$)/, /^\/api(\/|$)/, /^\/robots\.txt$/];

/**
 * A strict CSP: scripts only with this request's nonce ('strict-dynamic' lets Next's own chunks load), no eval outside
 * `next dev`, no framing. Styles allow inline attributes (bars and charts set widths with style=""), nothing else.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** HSTS whenever the portal's public URL is HTTPS: browsers then never try it over plain HTTP again. */
export function transportHeaders(url: URL = publicUrl()): Record<string, string> {
  return url.protocol === 'https:' ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {};
}

/**
 * Pages take POSTs only for server actions (with or without JavaScript), and those must come from a page of this
 * portal: Origin equal to the configured public origin (scheme, host and port). Browsers always send Origin on them; a
 * missing, `null` or foreign one is refused here with 403, before Next's own check (which answers a foreign Origin
 * with 500 and cannot parse `null`). Route handlers under /api check for themselves (`route()`, next-auth's token).
 */
export function pagePostAllowed(method: string, pathname: string, origin: string | null, own: string = publicOrigin()): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || /^\/api(\/|$)/.test(pathname)) return true;
  return origin !== null && origin === own;
}

/**
 * The proxy: security headers and a request id on everything (a client's own X-Request-Id is replaced unless a trusted
 * proxy sent it); cross-site server actions refused; a sign-in redirect for signed-out page visits.
 */
export default async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const forwardedFor = req.headers.get('x-forwarded-for');
  const requestId = requestIdFor(req.headers.get('x-request-id'), forwardedFor, trustedProxies());
  if (!pagePostAllowed(req.method, pathname, req.headers.get('origin'))) {
    const refused = NextResponse.json(
      { error: 'Cross-site requests are refused: submit the form from the portal itself.' },
      { status: 403 },
    );
    return withSecurityHeaders(refused, contentSecurityPolicy(nonceValue()), requestId);
  }
  if (!PUBLIC.some((re) => re.test(pathname))) {
    const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const url = new URL('/signin', publicOrigin());
      url.searchParams.set('callbackUrl', `${pathname}${search}`);
      return withSecurityHeaders(NextResponse.redirect(url), contentSecurityPolicy(nonceValue()), requestId);
    }
  }
  const nonce = nonceValue();
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set('x-request-id', requestId);
  headers.set('x-nonce', nonce);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  headers.set('content-security-policy', csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp, requestId);
}

function nonceValue(): string {
  return Buffer.from(crypto.randomUUID()).toString('base64');
}

function withSecurityHeaders(res: NextResponse, csp: string, requestId: string | null): NextResponse {
  if (requestId) res.headers.set('x-request-id', requestId);
  res.headers.set('content-security-policy', csp);
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...transportHeaders() })) res.headers.set(k, v);
  return res;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
