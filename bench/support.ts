import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Where a benchmark keeps its data: a fresh database on BENCH_DATABASE_URL's server, else a fresh PGlite folder. */
export async function benchDatabase(name: string, pgliteRoot: string): Promise<{ url?: string; dataDir: string }> {
  const dataDir = path.join(pgliteRoot, 'pglite');
  rmSync(pgliteRoot, { recursive: true, force: true });
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) return { dataDir };
  const u = new URL(base);
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname)) throw new Error('BENCH_DATABASE_URL must be a local server: the benchmark drops and recreates a database.');
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  u.pathname = `/${name}`;
  return { url: u.toString(), dataDir };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export async function waitForHealth(base: string, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${base} did not become healthy`);
}

/** Sign in through next-auth's credentials flow and return the Cookie header of the session. */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (k && v !== undefined) jar.set(k.trim(), v);
    }
  };
  keep(csrfRes);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes('session-token'))) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return cookie();
}
