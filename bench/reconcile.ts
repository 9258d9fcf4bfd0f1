/**
 * Reconciler benchmark: 1,000 approved cases, a quarter of each warehouse across the three regions, taken
 * from `provisioning` to `active` on the sandbox edge account (no delays), by one reconciler. The customers' own acts
 * (their endpoint services, allowed principals, clusters and grants before; Databricks registrations as the
 * endpoints appear) are done for them through lib/cloud/sandbox-customer.ts and left out of the counts. Prints cases per second,
 * this process's CPU per case, database statements per case — the reconciler's own and the sandbox's (the simulated
 * AWS lives in the same database; with EDGE_PROVIDER=aws those would be AWS calls instead) — and transactions per
 * case; then how long the names-have-one-owner check takes among that many live cases (lib/cases/claims.ts).
 *
 *   npm run bench:reconcile                                       # PGlite in bench/out/pglite-reconcile
 *   BENCH_DATABASE_URL=postgres://… npm run bench:reconcile       # a real PostgreSQL (database plp_bench_reconcile is recreated)
 *   BENCH_CASES=200 BENCH_CONCURRENCY=8 npm run bench:reconcile
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Db } from '@/db/index';
import * as schema from '@/db/schema';
import { conflictsOf } from '@/lib/cases/claims';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import { customerActsBefore, registerWaitingDatabricks } from './reconcile-customer';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { reconcilerConfig } from '@/lib/reconciler/config';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { benchDatabase } from './support';
import { seedApprovedCases } from './reconcile-seed';

const CASES = Number(process.env.BENCH_CASES ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const MIGRATIONS = path.resolve(import.meta.dirname, '..', 'db', 'migrations');

/** Counts every statement Drizzle sends, and the transactions around them (BEGIN/COMMIT are not logged). */
const counts = { portal: 0, sandbox: 0, transactions: 0, control: 0 };
/** With BENCH_VERBOSE: how often each statement's shape was sent, to see where the statements go. */
const shapes = new Map<string, number>();
const logger = {
  logQuery(query: string) {
    // node-postgres sessions log BEGIN/COMMIT, PGlite's do not: count transactions apart, the same way on both.
    if (/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(query)) {
      counts.control += 1;
      return;
    }
    if (query.includes('"edge_sandbox"')) counts.sandbox += 1;
    else counts.portal += 1;
    if (process.env.BENCH_VERBOSE) {
      const shape = query.replace(/\s+/g, ' ').slice(0, 110);
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
  },
};

async function open(): Promise<{ db: Db; kind: string; close: () => Promise<void> }> {
  const { url, dataDir } = await benchDatabase('plp_bench_reconcile', path.resolve(import.meta.dirname, 'out', 'pglite-reconcile'));
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY + 2 });
    await migratePg(drizzlePg(pool, { schema }), { migrationsFolder: MIGRATIONS });
    return { db: drizzlePg(pool, { schema, logger }) as unknown as Db, kind: 'PostgreSQL', close: () => pool.end() };
  }
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS });
  return { db: drizzlePglite({ client, schema, logger }) as unknown as Db, kind: 'PGlite', close: () => client.close() };
}

function counted(db: Db): Db {
  const transaction = db.transaction.bind(db);
  return Object.assign(Object.create(db), {
    transaction: ((fn, config) => {
      counts.transactions += 1;
      return transaction(fn, config);
    }) as Db['transaction'],
  });
}

async function main() {
  const { db: raw, kind, close } = await open();
  const db = counted(raw);
  const seeded = await seedApprovedCases(raw, CASES);
  console.log(
    `${kind}: ${CASES} approved cases seeded in ${(seeded / 1000).toFixed(1)} s; reconciling on the sandbox edge account (concurrency ${CONCURRENCY})…`,
  );
  await customerActsBefore(raw);
  Object.assign(counts, { portal: 0, sandbox: 0, transactions: 0, control: 0 });
  shapes.clear();

  const adapter = new SandboxEdge(db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 0 });
  const config = reconcilerConfig(
    {},
    { batchSize: 50, concurrency: CONCURRENCY, pollMs: 0, waitCustomerMs: 0, activeRecheckMs: 3_600_000 },
  );
  const deps = { db, adapter, layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, config };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let looks = 0;
  let errors = 0;
  for (;;) {
    const results = await reconcileOnce(deps);
    looks += results.length;
    errors += results.filter((r) => r.error).length;
    // The Databricks customers register their endpoints once they exist: their acts are not the reconciler's cost.
    const before = { ...counts };
    const registered = await registerWaitingDatabricks(raw);
    Object.assign(counts, before);
    if (results.length === 0 && registered === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const states = (
    (await raw.execute<{ state: string; n: number }>(
      sql`select state, count(*)::int as n from cases group by state order by state`,
    )) as unknown as { rows: { state: string; n: number }[] }
  ).rows;
  const active = states.find((s) => s.state === 'active')?.n ?? 0;

  const per = (n: number) => (n / CASES).toFixed(1);
  console.log(`states: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}${errors ? ` (${errors} looks hit an error)` : ''}`);
  console.log(`reconciled ${active} of ${CASES} cases to active in ${seconds.toFixed(1)} s: ${(active / seconds).toFixed(1)} cases/s`);
  console.log(`looks per case: ${per(looks)}`);
  // Less noisy than the rate on a shared machine: this process's CPU (reconciler, sandbox and driver) per case.
  console.log(`this process's CPU per case: ${((cpu.user + cpu.system) / 1000 / CASES).toFixed(2)} ms`);
  console.log(
    `database statements per case: ${per(counts.portal + counts.sandbox)} (reconciler and case service ${per(counts.portal)}, sandbox edge account ${per(counts.sandbox)}); transactions per case: ${per(counts.transactions)}`,
  );
  // What each costs on a small machine is mostly the round trip (a socket write and read on both sides), so the
  // transaction control that node-postgres sends as statements of its own is counted too. PGlite runs it inside its
  // client: there the figure is the statements alone.
  if (kind === 'PostgreSQL') {
    console.log(
      `round trips to the database per case: ${per(counts.portal + counts.sandbox + counts.control)} (of them begin, commit and savepoints: ${per(counts.control)})`,
    );
  }
  // The names-have-one-owner check the case page and each preflight run, against every live case seeded here.
  const sample = await raw.select().from(schema.cases).limit(200);
  const t = performance.now();
  for (const c of sample) await conflictsOf(raw, c);
  console.log(`conflict check among ${CASES} live cases: ${((performance.now() - t) / sample.length).toFixed(2)} ms per case`);
  if (process.env.BENCH_VERBOSE) {
    for (const [shape, n] of [...shapes].sort((a, b) => b[1] - a[1])) console.log(`${(n / CASES).toFixed(2).padStart(6)}  ${shape}`);
  }
  await close();
  if (active !== CASES) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
