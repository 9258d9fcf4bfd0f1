/**
 * HTTP load on the production build: autocannon against the case page, the /endpoints first page and /api/health with
 * a reused signed-in session, each compared in the same run with a bare dynamic page (/bench-baseline: the portal
 * frame and session, no database work of its own) and a static route (/robots.txt: the framework's own limit here).
 * Prints requests/s, p50/p99 latency, SQL statements per request, a 50-connection soak of the case page and the
 * server's peak RSS — on PGlite, and also on PostgreSQL when BENCH_DATABASE_URL is set, where it adds the scale-out
 * figure (two servers behind a round-robin balancer ÷ one). Method and targets: docs/deploy.md#benchmarks.
 *
 *   npm run build && npm run bench:load
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_PASSWORD, prepareDemo } from './fixture';
import { benchDatabase, peakRssMiB, signInCookie, startBalancer, startServer } from './support';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 30);
const SOAK_CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 50);
// Sequential requests per page for the statements-per-request count (no load: nothing else is counted meanwhile).
const SAMPLE = Number(process.env.BENCH_STATEMENT_SAMPLE ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3210);

type Figures = { rps: number; p50: number; p99: number; bad: number; total: number; why: string };

async function load(url: string, cookie?: string, connections = CONNECTIONS, duration = DURATION): Promise<Figures> {
  const r = await autocannon({ url, connections, duration, headers: cookie ? { cookie } : {} });
  const bad = r.non2xx + r.errors + r.timeouts;
  const why = `${r.non2xx} not 2xx, ${r.errors} errors, ${r.timeouts} timeouts`;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad, total: r.requests.total, why };
}

/**
 * SQL statements one request of `url` sends, from the server's own counter (BENCH_QUERY_COUNT=1). Reading the
 * counter is itself a request that signs in, so what one read adds is taken off. Requests the previous load left
 * queued may still be running: the count starts once consecutive reads step by the same amount (the server is quiet).
 */
async function statementsPerRequest(base: string, url: string, cookie: string | undefined, adminCookie: string) {
  const read = async () => {
    const res = await fetch(`${base}/api/bench/statements`, { headers: { cookie: adminCookie } });
    if (!res.ok) throw new Error(`/api/bench/statements answered ${res.status}`);
    return ((await res.json()) as { statements: number }).statements;
  };
  let [a, b, c] = [await read(), await read(), await read()];
  while (b - a !== c - b) [a, b, c] = [b, c, await read()];
  const perRead = c - b;
  for (let i = 0; i < SAMPLE; i++) {
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  }
  return ((await read()) - c - perRead) / SAMPLE;
}

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;

interface DbResult {
  pages: Record<string, Figures & { statements: number }>;
  soak: Figures;
  peakMiB: number;
}

const PAGES = ['static /robots.txt', 'bare dynamic page', 'GET /api/health', 'case page /cases/:id', 'endpoints first page'];

async function measure(kind: 'PGlite' | 'PostgreSQL', root: string, url: string | undefined, caseId: string): Promise<DbResult> {
  const server = await startServer(PORT, {
    DATA_DIR: root,
    DATABASE_URL: url ?? '', // empty: PGlite in DATA_DIR, even when the bench's own environment names a server
    RECONCILER: 'off',
    OUTBOX: 'off',
    SEED_DEMO: '0',
    BENCH_BASELINE: '1',
    BENCH_QUERY_COUNT: '1',
  });
  try {
    const customer = await signInCookie(server.base, 'ada@acme.example', BENCH_PASSWORD);
    const engineer = await signInCookie(server.base, 'erin@portal.example', BENCH_PASSWORD);
    const admin = await signInCookie(server.base, 'alex@portal.example', BENCH_PASSWORD);
    const targets: Record<string, [string, string | undefined]> = {
      'static /robots.txt': ['/robots.txt', undefined],
      'bare dynamic page': ['/bench-baseline', customer],
      'GET /api/health': ['/api/health', undefined],
      'case page /cases/:id': [`/cases/${caseId}`, customer],
      'endpoints first page': ['/endpoints', engineer],
    };
    const pages: DbResult['pages'] = {};
    for (const name of PAGES) {
      const [p, cookie] = targets[name]!;
      const statements = await statementsPerRequest(server.base, `${server.base}${p}`, cookie, admin);
      pages[name] = { ...(await load(`${server.base}${p}`, cookie)), statements };
    }
    const soak = await load(`${server.base}/cases/${caseId}`, customer, SOAK_CONNECTIONS, SOAK_SECONDS);
    const peakMiB = peakRssMiB(server.pid);

    const staticRps = pages['static /robots.txt']!.rps;
    const bareRps = pages['bare dynamic page']!.rps;
    console.log(`\n${kind}: autocannon, ${CONNECTIONS} connections × ${DURATION} s per page, production build, one server`);
    for (const name of PAGES) {
      const r = pages[name]!;
      console.log(
        `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${pct(r.rps, bareRps).padStart(5)} of bare  ${pct(r.rps, staticRps).padStart(5)} of static  ${r.statements.toFixed(1).padStart(5)} statements/request  (${r.total} requests; ${r.why})`,
      );
    }
    console.log(
      `case page soak: ${SOAK_CONNECTIONS} connections × ${SOAK_SECONDS} s: ${soak.rps.toFixed(0)} req/s, p50 ${soak.p50} ms, p99 ${soak.p99} ms, ${soak.total} requests; ${soak.why}`,
    );
    console.log(`peak server memory (VmHWM, whole run): ${peakMiB} MiB`);
    return { pages, soak, peakMiB };
  } finally {
    await server.stop();
  }
}

/**
 * Case page throughput through a round-robin balancer in front of one server, then two, on one PostgreSQL database.
 * Both servers share the session secret and public URL and run their own reconciler and outbox loops (the default),
 * as docs/deploy.md describes.
 */
async function scaleOut(root: string, url: string, caseId: string) {
  const shared = {
    DATA_DIR: root,
    DATABASE_URL: url,
    SEED_DEMO: '0',
    NEXTAUTH_SECRET: randomBytes(24).toString('hex'),
    NEXTAUTH_URL: `http://127.0.0.1:${PORT + 3}`,
  };
  const servers = [await startServer(PORT + 1, shared), await startServer(PORT + 2, shared)];
  try {
    const cookie = await signInCookie(servers[0]!.base, 'ada@acme.example', BENCH_PASSWORD);
    // Warm both (JIT, route bundles, pool connections) so neither figure includes a cold start.
    for (const s of servers) await load(`${s.base}/cases/${caseId}`, cookie, CONNECTIONS, 3);
    const through = async (backends: string[]) => {
      const lb = await startBalancer(PORT + 3, backends);
      try {
        return await load(`${lb.base}/cases/${caseId}`, cookie);
      } finally {
        await lb.stop();
      }
    };
    const one = await through([servers[0]!.base]);
    const two = await through(servers.map((s) => s.base));
    return { one, two, cores: os.availableParallelism() };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function verdict(ok: boolean) {
  return ok ? 'met' : 'NOT met';
}

async function main() {
  const results: Partial<Record<'PGlite' | 'PostgreSQL', DbResult>> = {};
  const pgliteRoot = path.resolve(import.meta.dirname, 'out', 'load');
  rmSync(pgliteRoot, { recursive: true, force: true });
  const embedded = await prepareDemo(pgliteRoot);
  results.PGlite = await measure('PGlite', pgliteRoot, undefined, embedded.caseId);

  let scale: Awaited<ReturnType<typeof scaleOut>> | undefined;
  if (process.env.BENCH_DATABASE_URL) {
    const pgRoot = path.resolve(import.meta.dirname, 'out', 'load-pg');
    const { url } = await benchDatabase('plp_bench_load', pgRoot);
    const { caseId } = await prepareDemo(pgRoot, url);
    results.PostgreSQL = await measure('PostgreSQL', pgRoot, url, caseId);
    scale = await scaleOut(pgRoot, url!, caseId);
    console.log(
      `\nscale-out, case page through a round-robin balancer, ${CONNECTIONS} connections × ${DURATION} s: one server ${scale.one.rps.toFixed(0)} req/s (p99 ${scale.one.p99} ms), two servers ${scale.two.rps.toFixed(0)} req/s (p99 ${scale.two.p99} ms), ${scale.cores} CPU cores for servers, balancer and load generator together`,
    );
  }

  console.log('\ntargets (same-run ratios where machine noise matters; docs/deploy.md#benchmarks)');
  for (const [kind, r] of Object.entries(results)) {
    const bare = r.pages['bare dynamic page']!;
    const casePage = r.pages['case page /cases/:id']!;
    const endpoints = r.pages['endpoints first page']!;
    const maxMiB = kind === 'PostgreSQL' ? 400 : 600;
    console.log(`${kind}:`);
    console.log(
      `  case page ÷ bare dynamic page       ${pct(casePage.rps, bare.rps).padStart(5)}   target ≥ 70%: ${verdict(casePage.rps / bare.rps >= 0.7)}`,
    );
    console.log(
      `  /endpoints ÷ bare dynamic page      ${pct(endpoints.rps, bare.rps).padStart(5)}   target ≥ 70%: ${verdict(endpoints.rps / bare.rps >= 0.7)}`,
    );
    console.log(`  bare dynamic page ÷ static          ${pct(bare.rps, r.pages['static /robots.txt']!.rps).padStart(5)}   (reported)`);
    console.log(
      `  case page p99, ${CONNECTIONS} connections    ${`${casePage.p99} ms`.padStart(7)} target < 150 ms: ${verdict(casePage.p99 < 150)}`,
    );
    console.log(
      `  ${SOAK_CONNECTIONS} connections × ${SOAK_SECONDS} s            ${r.soak.bad} errors, p99 ${r.soak.p99} ms   target 0 errors, p99 < 300 ms: ${verdict(r.soak.bad === 0 && r.soak.p99 < 300)}`,
    );
    console.log(`  peak server memory                  ${r.peakMiB} MiB   target ≤ ${maxMiB} MiB: ${verdict(r.peakMiB <= maxMiB)}`);
  }
  if (scale) {
    const ratio = scale.two.rps / scale.one.rps;
    console.log(
      `  two servers ÷ one, case page        ${ratio.toFixed(2)}×   target ≥ 1.5×: ${verdict(ratio >= 1.5)} (${scale.cores} cores)`,
    );
  } else {
    console.log('two servers ÷ one: set BENCH_DATABASE_URL (a PGlite data directory belongs to one process)');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
