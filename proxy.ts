import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';

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

/** The proxy: security headers and a request id on everything; a sign-in redirect for signed-out page visits. */
export default async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (!PUBLIC.some((re) => re.test(pathname))) {
    const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const url = new URL('/signin', req.url);
      url.searchParams.set('callbackUrl', `${pathname}${search}`);
      return withSecurityHeaders(NextResponse.redirect(url), contentSecurityPolicy(nonceValue()), null);
    }
  }
  const nonce = nonceValue();
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  const requestId = req.headers.get('x-request-id') || crypto.randomUUID();
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
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
