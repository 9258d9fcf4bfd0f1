/**
 * HTTP load on the production build: autocannon against the case page, the /endpoints first page
 * and /api/health with a reused signed-in session, each compared with a static route served by the same server in the
 * same run (/robots.txt: the framework's own limit here). Prints requests/s, p50/p99 latency and the server's peak RSS.
 *
 *   npm run build && npm run bench:load
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { prepareDemo, BENCH_PASSWORD } from './fixture';
import { peakRssMiB, signInCookie, startServer } from './support';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function load(url: string, cookie?: string) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers: cookie ? { cookie } : {} });
  const bad = r.non2xx + r.errors + r.timeouts;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad, total: r.requests.total };
}

async function main() {
  const root = path.resolve(import.meta.dirname, 'out', 'load');
  const { caseId, dataDir } = await prepareDemo(root);
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3210), { DATA_DIR: dataDir, RECONCILER: 'off', SEED_DEMO: '0' });
  try {
    const customer = await signInCookie(server.base, 'ada@acme.example', BENCH_PASSWORD);
    const engineer = await signInCookie(server.base, 'erin@portal.example', BENCH_PASSWORD);
    const targets: [string, string, string | undefined][] = [
      ['static /robots.txt', '/robots.txt', undefined],
      ['GET /api/health', '/api/health', undefined],
      ['case page /cases/:id', `/cases/${caseId}`, customer],
      ['endpoints first page', '/endpoints', engineer],
    ];
    const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, p, cookie] of targets) {
      await load(`${server.base}${p}`, cookie).then((r) => {
        results[name] = r;
      });
    }
    const staticRps = results['static /robots.txt']!.rps;
    console.log(`autocannon: ${CONNECTIONS} connections × ${DURATION} s each, production build, PGlite`);
    for (const [name, r] of Object.entries(results)) {
      console.log(
        `${name.padEnd(24)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${((r.rps / staticRps) * 100).toFixed(0).padStart(3)}% of static  (${r.total} requests, ${r.bad} not 2xx/errors)`,
      );
    }
    console.log(`peak server memory (VmHWM): ${peakRssMiB(server.pid)} MiB`);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
