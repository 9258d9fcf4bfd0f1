import { spawn } from 'node:child_process';
import pg from 'pg';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, caseEvents, cases, endpoints, sandboxRedshiftEndpoints, sandboxVpcEndpoints } from '@/db/schema';
import { findTransition } from '@/lib/cases/machine';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { workspacePrincipal } from '@/lib/cloud/naming';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import { VALID_INPUTS } from './support/fixtures';
import { caseIn, seedWorld, type World } from './support/world';

// Restart during work: processes are killed with SIGKILL — no cleanup, like a crash or an OOM
// kill — in the middle of provisioning and in the middle of submits. After a restart nothing is lost or duplicated and
// every case is in a state the table allows, with a trail that explains it.

/** What Ada's workspace does in its own console so that the fixture's cases can be provisioned. */
async function customerActsForFixtures(db: DatabaseHandle['db'], w: World) {
  const workspaceId = w.acme;
  const region = 'us-east-1';
  const serviceName = String(VALID_INPUTS.rds_postgres.draft!.endpointServiceName);
  await createNlbService(db, { workspaceId, region, azIds: ['use1-az1', 'use1-az2'], acceptanceRequired: false, serviceName });
  await allowPrincipal(db, { workspaceId, serviceName, principalArn: workspacePrincipal(SANDBOX_EDGE_LAYOUT.accountId, workspaceId).arn });
  const details = VALID_INPUTS.redshift.details!;
  const cluster = { workspaceId, region, account: String(details.awsAccountId), clusterIdentifier: String(details.clusterIdentifier) };
  await createRedshiftCluster(db, { ...cluster, nodeType: 'ra3.xlplus', relocationEnabled: true, port: 5439 });
  await authorizeRedshift(db, { ...cluster, vpcIds: [SANDBOX_EDGE_LAYOUT.regions[region]!.vpcId] });
  const config = JSON.parse(String(VALID_INPUTS.snowflake.details!.privatelinkConfig)) as Record<string, string>;
  await snowflakeSupportAuthorize(db, { workspaceId, region, privatelinkVpceId: config['privatelink-vpce-id']! });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// node with tsx's loader in-process (not the tsx CLI, which runs the script in a child process that a SIGKILL of the
// CLI would leave running).
function spawnTsx(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      if (/ready|started as/.test(d.toString())) resolve();
    }),
  );
  return { child, exited, ready };
}

describe.runIf(hasRealPostgres)('killed in the middle of work, then restarted', () => {
  let h: DatabaseHandle & { url?: string };
  let w: World;
  beforeAll(async () => {
    h = await createTestDatabase({ real: true });
    w = await seedWorld(h.db, { endpointLimit: 100 });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function expectConsistentTrail(ids: string[]) {
    for (const id of ids) {
      const [c] = await h.db.select({ state: cases.state }).from(cases).where(eq(cases.id, id));
      const trail = await h.db
        .select({ event: caseEvents.event, from: caseEvents.fromState, to: caseEvents.toState })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, id))
        .orderBy(caseEvents.id);
      // Every step of the trail is a transition of the table, and the trail ends in the case's state.
      for (const t of trail.filter((e) => e.event !== 'create' && e.event !== 'note'))
        expect(findTransition(t.from!, t.event as never)?.to).toBe(t.to);
      expect(trail.at(-1)?.to).toBe(c!.state);
      const [audits] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditLog)
        .where(and(eq(auditLog.targetId, id), sql`${auditLog.action} like 'case.%'`, sql`${auditLog.action} <> 'case.save_inputs'`));
      expect(audits!.n).toBe(trail.length);
    }
  }

  it('provisions every case exactly once although the worker was SIGKILLed three times mid-provisioning', async () => {
    // The customer's part first, in their own (sandbox) console, for the fixture's names: the RDS service allowing the
    // workspace's role (no acceptance asked), the Redshift cluster granted to the edge, Snowflake support's authorization.
    await customerActsForFixtures(h.db, w);
    const made = [];
    // One Snowflake case: two connections to the same Snowflake account cannot share its host names (the reconciler refuses).
    for (const wh of ['redshift', 'snowflake', 'rds_postgres', 'redshift', 'rds_postgres', 'redshift'] as const)
      made.push(await caseIn(h.db, w, wh, 'provisioning'));
    const ids = made.map((c) => c.id);
    const base = {
      DATABASE_URL: h.url!,
      RECONCILER_POLL_MS: '100',
      RECONCILER_IDLE_MS: '50',
      RECONCILER_LEASE_MS: '1500',
    };
    // While the worker is being killed, the sandbox edge takes an hour to make anything available, so no case can
    // finish whatever the machine's speed; the last worker runs with a short delay and everything created earlier
    // has long been available by then.
    const killed = { ...base, SANDBOX_DELAY_MS: '3600000' };
    // Work done so far, as the database shows it: resources in the edge account, endpoint rows and trail entries.
    const progress = async () => {
      const [r] = (
        (await h.db.execute<{ n: number }>(sql`select
        (select count(*) from ${sandboxVpcEndpoints} where ${sandboxVpcEndpoints.tags}->>'portal:case-id' in ${ids})
        + (select count(*) from ${sandboxRedshiftEndpoints} where ${sql.join(
          ids.map((id) => sql`${sandboxRedshiftEndpoints.name} like ${`%${id.slice(0, 8)}%`}`),
          sql` or `,
        )})
        + (select count(*) from ${endpoints} where ${endpoints.caseId} in ${ids})
        + (select count(*) from ${caseEvents} where ${caseEvents.caseId} in ${ids}) as n`)) as unknown as { rows: { n: number }[] }
      ).rows;
      return Number(r!.n);
    };
    const kills: number[] = [];
    for (let k = 0; k < 3; k++) {
      const before = await progress();
      const p = spawnTsx('lib/reconciler/worker.ts', [], killed);
      await p.ready;
      // Kill as soon as this worker has done something (not after a fixed time): mid-provisioning on any machine.
      const until = Date.now() + 60_000;
      while ((await progress()) === before && Date.now() < until) await sleep(5);
      p.child.kill('SIGKILL');
      await p.exited;
      kills.push((await progress()) - before);
    }
    // Each kill came after observed work, and work was still left to do.
    expect(
      kills.every((n) => n > 0),
      `work done before each kill: ${kills.join(', ')}`,
    ).toBe(true);
    const statesBefore = (await h.db.select({ state: cases.state }).from(cases).where(inArray(cases.id, ids))).map((r) => r.state);
    expect(statesBefore.some((st) => st !== 'active')).toBe(true);
    const env = { ...base, SANDBOX_DELAY_MS: '200' };
    const final = spawnTsx('lib/reconciler/worker.ts', [], env);
    const until = Date.now() + 60_000;
    const states = async () => (await h.db.select({ state: cases.state }).from(cases).where(inArray(cases.id, ids))).map((r) => r.state);
    while ((await states()).some((s) => s !== 'active') && Date.now() < until) await sleep(250);
    final.child.kill('SIGTERM');
    await final.exited;

    const stuck = await h.db
      .select({ warehouse: cases.warehouse, state: cases.state, lastError: cases.lastError })
      .from(cases)
      .where(and(inArray(cases.id, ids), sql`${cases.state} <> 'active'`));
    expect(stuck, 'cases that did not reach active').toEqual([]);
    for (const c of made) {
      const live = await h.db
        .select({ id: endpoints.id })
        .from(endpoints)
        .where(and(eq(endpoints.caseId, c.id), isNull(endpoints.deletedAt)));
      expect(live, `endpoints rows of ${c.warehouse} case`).toHaveLength(1);
      if (c.warehouse === 'redshift') {
        const inAws = await h.db
          .select({ name: sandboxRedshiftEndpoints.name })
          .from(sandboxRedshiftEndpoints)
          .where(sql`${sandboxRedshiftEndpoints.name} like ${`%${c.id.slice(0, 8)}%`}`);
        expect(inAws.length, 'Redshift-managed endpoints in the edge account').toBeLessThanOrEqual(1);
      } else {
        const inAws = await h.db
          .select({ id: sandboxVpcEndpoints.id })
          .from(sandboxVpcEndpoints)
          .where(and(sql`${sandboxVpcEndpoints.tags}->>'portal:case-id' = ${c.id}`, isNull(sandboxVpcEndpoints.deletedAt)));
        expect(inAws, 'VPC endpoints in the edge account').toHaveLength(1);
      }
    }
    await expectConsistentTrail(ids);
  }, 120_000);

  it('leaves every submit whole or not at all when the process is SIGKILLed mid-way', async () => {
    const drafts = [];
    for (let i = 0; i < 80; i++) drafts.push(await caseIn(h.db, w, i % 2 ? 'snowflake' : 'redshift', 'draft'));
    // A transaction of ours holds the 41st draft's row, so the loop cannot get past it however fast it runs: the kill
    // lands mid-run on any machine.
    const blocker = new pg.Client({ connectionString: h.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select id from cases where id = $1 for update', [drafts[40]!.id]);
    const p = spawnTsx('test/support/submit-loop.ts', [JSON.stringify(w.ada), ...drafts.map((d) => `${d.id},${d.version}`)], {
      DATABASE_URL: h.url!,
    });
    await p.ready;
    // Kill it once a few submits have landed.
    const ids = drafts.map((d) => d.id);
    for (let n = 0; n < 3; ) {
      await sleep(5);
      [{ n }] = (await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(cases)
        .where(and(inArray(cases.id, ids), eq(cases.state, 'submitted')))) as [{ n: number }];
    }
    p.child.kill('SIGKILL');
    await p.exited;
    await blocker.query('rollback');
    await blocker.end();
    // A COMMIT the server had already received still completes after the client died: wait until the database is
    // quiet (two identical readings) before judging.
    const reading = async () =>
      JSON.stringify(await h.db.select({ state: cases.state, v: cases.version }).from(cases).where(inArray(cases.id, ids)));
    for (let last = ''; ; ) {
      const now = await reading();
      if (now === last) break;
      last = now;
      await sleep(300);
    }
    const rows = await h.db
      .select({ id: cases.id, state: cases.state, version: cases.version })
      .from(cases)
      .where(
        inArray(
          cases.id,
          drafts.map((d) => d.id),
        ),
      );
    const submitted = rows.filter((r) => r.state === 'submitted');
    for (const r of rows) expect(['draft', 'submitted']).toContain(r.state);
    for (const r of submitted) expect(r.version).toBe(drafts.find((d) => d.id === r.id)!.version + 1);
    const [events] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.event, 'submit'),
          inArray(
            caseEvents.caseId,
            drafts.map((d) => d.id),
          ),
        ),
      );
    expect(events!.n).toBe(submitted.length);
    await expectConsistentTrail(drafts.map((d) => d.id));
    // The kill landed mid-run, not before or after it (else this test would prove nothing).
    expect(submitted.length).toBeGreaterThan(0);
    expect(submitted.length).toBeLessThan(drafts.length);
  }, 60_000);
});
