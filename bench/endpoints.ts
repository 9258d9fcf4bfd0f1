/**
 * Endpoint dashboard benchmark: seed 10,000 endpoints with a year of daily usage, print the query
 * plans of the dashboard's queries, then start the production server on that data and time /endpoints (first page,
 * filtered, sorted by usage, searched) as an engineer would load them.
 *
 *   npm run bench:endpoints            # PGlite in bench/out/pglite-endpoints
 *   BENCH_DATABASE_URL=postgres://… npm run bench:endpoints   # a real PostgreSQL (a database named plp_bench is recreated)
 *
 * Target (issue): first page and filtered page under 150 ms each on a 2-core machine.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '@/db/index';
import { seedDemo } from '@/lib/demo-seed';
import { benchDatabase, percentile, signInCookie, waitForHealth } from './support';

const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10_000);
const DAYS = 365;
const WORKSPACES = 200;
const PASSWORD = 'bench-Password-1';
const PORT = Number(process.env.BENCH_PORT ?? 3200);

async function seed(url: string | undefined, dataDir: string) {
  process.env.DEMO_PASSWORD = PASSWORD;
  process.env.BCRYPT_ROUNDS = '10';
  const h = await openDatabase({ url, dataDir });
  await seedDemo(h.db);
  const t0 = performance.now();
  await h.db.execute(
    sql`insert into workspaces (name, slug, endpoint_limit) select 'Bench ' || g, 'bench-' || g, 100 from generate_series(1, ${WORKSPACES}) g`,
  );
  await h.db.execute(sql`
    with ws as (select id, row_number() over (order by slug) - 1 as i from workspaces where slug like 'bench-%'),
         admin as (select id from users where role = 'admin' limit 1)
    insert into cases (workspace_id, warehouse, region, state, created_by, submitted_at)
    select ws.id, (array['databricks','rds_postgres','redshift','snowflake'])[1 + g % 4],
           (array['us-east-1','us-west-2','eu-west-1'])[1 + g % 3], 'active', (select id from admin), now()
    from generate_series(0, ${ENDPOINTS - 1}) g join ws on ws.i = g % ${WORKSPACES}`);
  await h.db.execute(sql`
    insert into endpoints (case_id, workspace_id, region, kind, aws_id, service_name, state, dns_name, az_ids, subnet_ids, drift, created_at, last_reconciled_at, last_error)
    select c.id, c.workspace_id, c.region, case when c.warehouse = 'redshift' then 'redshift_managed' else 'interface' end,
           'vpce-0' || substr(md5(c.id::text), 1, 16), 'com.amazonaws.vpce.' || c.region || '.vpce-svc-0' || substr(md5(c.workspace_id::text), 1, 16),
           case when c.number % 50 = 0 then 'pendingAcceptance' when c.number % 333 = 0 then 'failed' else 'available' end,
           'vpce-0' || substr(md5(c.id::text), 1, 16) || '-' || substr(md5(c.number::text), 1, 8) || '.vpce-svc-0' || substr(md5(c.workspace_id::text), 1, 16) || '.' || c.region || '.vpce.amazonaws.com',
           array['use1-az1', 'use1-az4'], array['subnet-0a1b2c3d4e5f60718'],
           case when c.number % 97 = 0 then '["DNS record missing"]'::jsonb else '[]'::jsonb end,
           now() - ((c.number % 365) || ' days')::interval, now() - ((c.number % 60) || ' seconds')::interval,
           case when c.number % 333 = 0 then 'Throttled by EC2; retrying' end
    from cases c join workspaces w on w.id = c.workspace_id where w.slug like 'bench-%'`);
  await h.db.execute(sql`
    insert into usage_daily (endpoint_id, workspace_id, day, bytes)
    select e.id, e.workspace_id, d::date, (abs(hashtext(e.id::text || d::text)) % 600000000)::bigint
    from endpoints e cross join generate_series(current_date - ${DAYS - 1}::int, current_date, interval '1 day') d`);
  await h.db.execute(sql`analyze`);
  console.log(`seeded ${ENDPOINTS} endpoints × ${DAYS} days of usage in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return h;
}

async function explain(h: Awaited<ReturnType<typeof openDatabase>>) {
  const month = `${new Date().toISOString().slice(0, 8)}01`;
  const [ws] = (
    (await h.db.execute<{ id: string }>(sql`select id from workspaces where slug = 'bench-7'`)) as unknown as { rows: { id: string }[] }
  ).rows;
  const queries: [string, ReturnType<typeof sql>][] = [
    [
      'first page',
      sql`select e.id, coalesce(m.bytes, 0) from endpoints e join cases c on c.id = e.case_id join workspaces w on w.id = e.workspace_id left join usage_monthly m on m.endpoint_id = e.id and m.month = ${month} where e.deleted_at is null order by e.created_at desc, e.id desc limit 50`,
    ],
    [
      'sorted by usage',
      sql`select e.id, coalesce(m.bytes, 0) from endpoints e join cases c on c.id = e.case_id join workspaces w on w.id = e.workspace_id left join usage_monthly m on m.endpoint_id = e.id and m.month = ${month} where e.deleted_at is null order by coalesce(m.bytes, 0) desc, e.id desc limit 50`,
    ],
    [
      'filtered by workspace',
      sql`select e.id from endpoints e join cases c on c.id = e.case_id join workspaces w on w.id = e.workspace_id where e.deleted_at is null and e.workspace_id = ${ws!.id} order by e.created_at desc limit 50`,
    ],
  ];
  for (const [name, q] of queries) {
    const res = (await h.db.execute(sql`explain ${q}`)) as unknown as { rows: Record<string, string>[] };
    const plan = res.rows.map((r) => Object.values(r)[0]).join('\n');
    const indexes = [...plan.matchAll(/Index (?:Only )?Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)/g)].map(
      (m) => m[1] ?? m[2],
    );
    console.log(`plan (${name}): ${indexes.length ? `uses ${[...new Set(indexes)].join(', ')}` : 'NO INDEX USED'}`);
    if (process.env.BENCH_VERBOSE) console.log(plan);
  }
}

async function main() {
  const root = path.resolve(import.meta.dirname, '..');
  const { url, dataDir } = await benchDatabase('plp_bench', path.join(root, 'bench', 'out', 'pglite-endpoints'));
  const h = await seed(url, dataDir);
  await explain(h);
  await h.close();

  const server = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: path.dirname(dataDir),
      DATABASE_URL: url ?? '',
      RECONCILER: 'off',
      SEED_DEMO: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitForHealth(base);
    const cookie = await signInCookie(base, 'erin@portal.example', PASSWORD);
    const [ws] = await (async () => {
      const c = new URL(`${base}/endpoints`);
      const html = await (await fetch(c, { headers: { cookie } })).text();
      return [/value="([0-9a-f-]{36})">Bench 7</.exec(html)?.[1]];
    })();
    const pages: [string, string][] = [
      ['first page', '/endpoints'],
      ['filtered (workspace + state)', `/endpoints?workspace=${ws}&state=available`],
      ['filtered (region + warehouse)', '/endpoints?region=eu-west-1&warehouse=snowflake&page=3'],
      ['sorted by usage', '/endpoints?sort=usage&dir=desc'],
      ['search (workspace name)', '/endpoints?q=bench%2017'],
    ];
    for (const [name, p] of pages) {
      const times: number[] = [];
      for (let i = 0; i < 12; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${p}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200 || !body.includes('endpoint')) throw new Error(`${p} answered ${res.status}`);
        if (i >= 2) times.push(performance.now() - t); // first two warm the server
      }
      console.log(`${name.padEnd(32)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  (${p})`);
    }
  } finally {
    server.kill('SIGTERM');
  }
  if (!url) rmSync(dataDir, { recursive: true, force: true });
  else {
    const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
    await c.connect();
    await c.query('drop database if exists plp_bench with (force)');
    await c.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
