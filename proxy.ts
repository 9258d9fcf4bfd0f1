import { withAuth } from 'next-auth/middleware';
import { NextResponse } from 'next/server';

// Only redirects the signed-out to /signin and stamps a request id (STYLE.md: no authorization here; every page,
// action and route checks the policy on the server). API routes answer 401 themselves instead of redirecting.
const PUBLIC = [/^\/signin(\/|$)/, /^\/api(\/|$)/];

export default withAuth(
  function proxy(req) {
    const headers = new Headers(req.headers);
    const requestId = req.headers.get('x-request-id') || crypto.randomUUID();
    headers.set('x-request-id', requestId);
    const res = NextResponse.next({ request: { headers } });
    res.headers.set('x-request-id', requestId);
    return res;
  },
  {
    pages: { signIn: '/signin' },
    callbacks: {
      authorized: ({ token, req }) => Boolean(token) || PUBLIC.some((re) => re.test(req.nextUrl.pathname)),
    },
  },
);

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
