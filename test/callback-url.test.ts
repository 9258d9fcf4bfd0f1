import { describe, expect, it } from 'vitest';
import { publicOrigin, safeCallbackPath } from '@/lib/public-url';

// Where the browser may be sent after signing in: only paths of this portal. Expected values are written out by hand
// from how browsers parse each input (WHATWG URL), not computed.
const OWN = 'http://localhost:3200';

const CASES: [input: unknown, expected: string][] = [
  ['/cases', '/cases'],
  ['/cases/123?tab=timeline#notes', '/cases/123?tab=timeline#notes'],
  ['/audit?from=2025-01-01&to=2025-01-31', '/audit?from=2025-01-01&to=2025-01-31'],
  ['http://localhost:3200/queue', '/queue'],
  ['/%5Cevil.example/x', '/%5Cevil.example/x'], // an encoded backslash stays a path on this host
  ['/%09/evil.example', '/%09/evil.example'], // an encoded tab too
  ['/\\evil.example', '/'],
  ['/\\evil.example/x', '/'],
  ['\\\\evil.example', '/'],
  ['/\t/evil.example', '/'],
  ['/\n/evil.example', '/'],
  ['//evil.example', '/'],
  ['//evil.example/cases', '/'],
  ['///evil.example', '/'],
  ['/.//evil.example', '/'],
  ['https://evil.example/x', '/'],
  ['http://localhost:3201/cases', '/'],
  ['https://localhost:3200/cases', '/'],
  ['http://localhost:3200@evil.example/', '/'],
  ['javascript:alert(1)', '/'],
  ['data:text/html,<script>alert(1)</script>', '/'],
  ['', '/'],
  [undefined, '/'],
  [['/cases', '//evil.example'], '/'],
  ['cases', '/cases'],
];

describe('safeCallbackPath', () => {
  it.each(CASES)('%j → %s', (input, expected) => {
    expect(safeCallbackPath(input, OWN)).toBe(expected);
  });

  it('falls back to the given landing page', () => {
    expect(safeCallbackPath('//evil.example', OWN, '/endpoints')).toBe('/endpoints');
  });
});

describe('publicOrigin', () => {
  it('is NEXTAUTH_URL, else localhost on PORT', () => {
    expect(publicOrigin({ NEXTAUTH_URL: 'https://portal.example.com/' })).toBe('https://portal.example.com');
    expect(publicOrigin({ PORT: '3200' })).toBe('http://localhost:3200');
    expect(publicOrigin({})).toBe('http://localhost:3000');
  });
});
