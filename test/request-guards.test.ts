import { describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

const { sameOrigin } = await import('@/lib/auth/guard');
const { pagePostAllowed, transportHeaders } = await import('@/proxy');

// Which requests count as coming from the portal itself, and the transport headers, against the configured public
// URL (never the Host or X-Forwarded-Host the client sends). Expected answers are written out per row.
const OWN = 'https://portal.example.com';

describe('sameOrigin (route handlers)', () => {
  it.each([
    ['GET', null, {}, true],
    ['POST', null, {}, true], // API clients send no Origin; browsers always do on cross-site POSTs
    ['POST', 'https://portal.example.com', {}, true],
    ['POST', 'https://evil.example', { 'x-forwarded-host': 'evil.example', host: 'evil.example' }, false],
    ['POST', 'http://portal.example.com', {}, false], // another scheme
    ['POST', 'https://portal.example.com:8443', {}, false], // another port
    ['POST', 'https://portal.example.com.evil.example', {}, false],
    ['POST', 'null', {}, false],
    ['DELETE', 'https://evil.example', { 'x-forwarded-host': 'evil.example' }, false],
  ])('%s from %s with %j → %s', (method, origin, extra, expected) => {
    const headers = new Headers(extra as Record<string, string>);
    if (origin) headers.set('origin', origin);
    expect(sameOrigin({ method, headers }, OWN)).toBe(expected);
  });
});

describe('pagePostAllowed (server actions on pages)', () => {
  it.each([
    ['GET', '/cases', null, true],
    ['POST', '/cases/1', 'https://portal.example.com', true],
    ['POST', '/cases/1', null, false],
    ['POST', '/cases/1', 'null', false],
    ['POST', '/cases/1', 'https://evil.example', false],
    ['POST', '/api/auth/signout', 'https://evil.example', true], // route handlers decide for themselves
    ['POST', '/apix', 'https://evil.example', false],
  ])('%s %s from %s → %s', (method, path, origin, expected) => {
    expect(pagePostAllowed(method, path, origin, OWN)).toBe(expected);
  });
});

describe('transport headers', () => {
  it('sends HSTS only when the public URL is HTTPS', () => {
    expect(transportHeaders(new URL('https://portal.example.com'))).toEqual({
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
    });
    expect(transportHeaders(new URL('http://localhost:3000'))).toEqual({});
  });
});
