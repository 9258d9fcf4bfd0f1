import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '@/lib/auth/policy';

// Every route handler and every server action goes through the guard wrappers, which carry the policy action they
// check. A new route or action without one fails here.

const APP = path.resolve(__dirname, '..', 'app');
// Routes that are public on purpose, and why.
const PUBLIC_ROUTES: Record<string, string> = {
  'api/health/route.ts GET': 'load balancers and the README check health without signing in',
  'api/auth/[...nextauth]/route.ts GET': 'next-auth: sign-in, CSRF token, session',
  'api/auth/[...nextauth]/route.ts POST': 'next-auth: sign-in, sign-out (its own CSRF token)',
  'api/v1/openapi.json/route.ts GET': 'the API description holds no data: tools read it before they have a token',
};
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(APP);
const routeFiles = files.filter((f) => f.endsWith(`${path.sep}route.ts`));
const actionFiles = files.filter((f) => /\.tsx?$/.test(f) && /^['"]use server['"]/m.test(readFileSync(f, 'utf8')));

describe('authorization coverage', () => {
  it('finds the route handlers and server action modules', () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(4);
    expect(actionFiles.length).toBeGreaterThanOrEqual(2);
  });

  it.each(routeFiles.map((f) => path.relative(APP, f)))('every method of %s is guarded by a policy action', async (rel) => {
    const mod = (await import(path.join(APP, rel))) as Record<string, unknown>;
    const methods = METHODS.filter((m) => typeof mod[m] === 'function');
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) {
      if (PUBLIC_ROUTES[`${rel} ${m}`]) continue;
      const permission = (mod[m] as { permission?: string }).permission;
      expect(permission, `${rel} ${m} is not wrapped in route()`).toBeDefined();
      expect(ACTIONS).toContain(permission);
    }
  });

  it.each(actionFiles.map((f) => path.relative(APP, f)))('every server action in %s is guarded by a policy action', async (rel) => {
    const mod = (await import(path.join(APP, rel))) as Record<string, unknown>;
    const exported = Object.entries(mod).filter(([, v]) => typeof v === 'function');
    expect(exported.length).toBeGreaterThan(0);
    for (const [name, fn] of exported) {
      const permission = (fn as { permission?: string }).permission;
      expect(permission, `${rel} ${name} is not wrapped in action()`).toBeDefined();
      expect(ACTIONS).toContain(permission);
    }
  });
});
