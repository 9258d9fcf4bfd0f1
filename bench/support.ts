import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { serverNodeOptions } from '../scripts/server-flags.mjs';

/** Where a benchmark keeps its data: a fresh database on BENCH_DATABASE_URL's server, else a fresh PGlite folder. */
export async function benchDatabase(name: string, pgliteRoot: string): Promise<{ url?: string; dataDir: string }> {
  const dataDir = path.join(pgliteRoot, 'pglite');
  rmSync(pgliteRoot, { recursive: true, force: true });
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) return { dataDir };
  const u = new URL(base);
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname))
    throw new Error('BENCH_DATABASE_URL must be a local server: the benchmark drops and recreates a database.');
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
    } catch {
      /* not up yet */
    }
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

export interface RunningServer {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Start the production server as `npm start` runs it (scripts/server.mjs with the same Node flags, built already) on
 * a port with the given environment. The PID is the server's own (not a wrapper's), so its memory can be read from
 * /proc.
 */
export async function startServer(port: number, env: Record<string, string | undefined>): Promise<RunningServer> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      NEXTAUTH_SECRET: randomBytes(24).toString('hex'),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base);
  return {
    base,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Peak resident memory (VmHWM) of a process and its children, in MiB, from /proc. */
export function peakRssMiB(pid: number): number {
  const pids = [pid];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (pids.includes(ppid)) pids.push(Number(p));
    } catch {
      /* process ended */
    }
  }
  let kib = 0;
  for (const p of pids) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      kib += Number(m?.[1] ?? 0);
    } catch {
      /* process ended */
    }
  }
  return Math.round(kib / 1024);
}

/**
 * A round-robin TCP load balancer on `port` in front of `backends` (base URLs), standing in for the managed one of
 * docs/deploy.md in the scale-out figure: each client connection is piped whole to the next backend, as a layer-4
 * balancer (an AWS Network Load Balancer, say) does — no HTTP parsing, so the balancer's own CPU stays small on a
 * machine where it shares the cores with the servers and the load generator.
 */
export async function startBalancer(port: number, backends: string[]): Promise<{ base: string; stop(): Promise<void> }> {
  let turn = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = new URL(backends[turn++ % backends.length]!);
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      open.add(s);
      s.once('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
