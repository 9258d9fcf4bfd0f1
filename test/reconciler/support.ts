import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '@/db/index';
import { auditLog, caseEvents, cases, dnsRecords, endpoints } from '@/db/schema';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge, type SandboxOptions } from '@/lib/cloud/sandbox';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { reconcilerConfig, type ReconcilerConfig } from '@/lib/reconciler/config';
import { type CaseResult, type ReconcilerDeps, reconcileOnce } from '@/lib/reconciler/reconcile';
import { createTestDatabase } from '../support/db';
import { caseIn, seedWorld, type World } from '../support/world';
import type { Warehouse } from '@/lib/domain/warehouses';

/** Reconciler settings for tests: no waiting between looks, no backoff, a quick give-up. */
export function testConfig(overrides: Partial<ReconcilerConfig> = {}): ReconcilerConfig {
  return reconcilerConfig(
    {},
    {
      pollMs: 0,
      waitCustomerMs: 0,
      activeRecheckMs: 3_600_000,
      backoffBaseMs: 0,
      backoffMaxMs: 0,
      idleMs: 5,
      maxAttempts: 5,
      ...overrides,
    },
  );
}

export function sandboxFor(db: Db, opts: Partial<SandboxOptions> = {}): SandboxEdge {
  return new SandboxEdge(db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 0, acceptDelayMs: 0, ...opts });
}

export function depsFor(db: Db, adapter: EdgeAdapter, config: Partial<ReconcilerConfig> = {}, clock?: () => Date): ReconcilerDeps {
  return { db, adapter, layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, config: testConfig(config), ...(clock ? { clock } : {}) };
}

export interface Env {
  h: DatabaseHandle;
  db: Db;
  w: World;
  sandbox: SandboxEdge;
  deps: ReconcilerDeps;
}

export async function setup(opts: { real?: boolean; config?: Partial<ReconcilerConfig>; endpointLimit?: number } = {}): Promise<Env> {
  const h = await createTestDatabase({ real: opts.real ?? false });
  const w = await seedWorld(h.db, { endpointLimit: opts.endpointLimit ?? 2 });
  const sandbox = sandboxFor(h.db);
  return { h, db: h.db, w, sandbox, deps: depsFor(h.db, sandbox, opts.config) };
}

export async function caseRow(db: Db, id: string) {
  const [c] = await db.select().from(cases).where(eq(cases.id, id));
  return c!;
}

/** Run rounds until the case is in one of `states` (or nothing is due any more); returns the case and every result. */
export async function drive(deps: ReconcilerDeps, caseId: string, states: string[], maxRounds = 40) {
  const seen: CaseResult[] = [];
  for (let i = 0; i < maxRounds; i++) {
    const c = await caseRow(deps.db, caseId);
    if (states.includes(c.state)) return { c, seen };
    const results = await reconcileOnce(deps);
    seen.push(...results.filter((r) => r.caseId === caseId));
    if (results.length === 0) break;
  }
  return { c: await caseRow(deps.db, caseId), seen };
}

/** Make a case due now (what a timer would do later). */
export async function wake(db: Db, caseId: string) {
  await db.update(cases).set({ nextReconcileAt: sql`now() - interval '1 second'` }).where(eq(cases.id, caseId));
}

export async function liveEndpoints(db: Db, caseId: string) {
  return db
    .select()
    .from(endpoints)
    .where(and(eq(endpoints.caseId, caseId), isNull(endpoints.deletedAt)));
}

export async function allEndpoints(db: Db, caseId: string) {
  return db.select().from(endpoints).where(eq(endpoints.caseId, caseId));
}

export async function liveDns(db: Db, caseId: string) {
  return db
    .select()
    .from(dnsRecords)
    .where(and(eq(dnsRecords.caseId, caseId), isNull(dnsRecords.deletedAt)));
}

export async function eventsOf(db: Db, caseId: string) {
  return db
    .select({ event: caseEvents.event, to: caseEvents.toState, note: caseEvents.note, actorRole: caseEvents.actorRole })
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(caseEvents.id);
}

export async function auditActions(db: Db, prefix: string) {
  const rows = await db
    .select({ action: auditLog.action, role: auditLog.actorRole, targetId: auditLog.targetId, after: auditLog.after })
    .from(auditLog)
    .where(sql`${auditLog.action} like ${`${prefix}%`}`)
    .orderBy(auditLog.id);
  return rows;
}

/** A case of the world driven by people to `provisioning`. */
export function provisioningCase(env: Env, warehouse: Warehouse, customer = env.w.ada) {
  return caseIn(env.db, env.w, warehouse, 'provisioning', customer);
}

export { seedWorld };
