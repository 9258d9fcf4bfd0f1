import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DatabaseHandle, Db } from '@/db/index';
import { auditLog, caseEvents, cases, dnsRecords, endpoints } from '@/db/schema';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { workspacePrincipal } from '@/lib/cloud/naming';
import { SandboxEdge, type SandboxOptions } from '@/lib/cloud/sandbox';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  sandboxCustomerAccountId,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import { applyEvent, createDraft, saveInputs } from '@/lib/cases/service';
import type { InputPhase } from '@/lib/providers';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { reconcilerConfig, type ReconcilerConfig } from '@/lib/reconciler/config';
import { type CaseResult, type ReconcilerDeps, reconcileOnce } from '@/lib/reconciler/reconcile';
import { createTestDatabase } from '../support/db';
import { stepsWithValues } from '../support/fixtures';
import { type Person, seedWorld, type World } from '../support/world';
import type { CaseState } from '@/lib/domain/case-states';
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
  return new SandboxEdge(db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 0, ...opts });
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

/** The workspace's role in the sandbox edge account: what a customer allows on their endpoint service. */
export function roleOf(who: Person): string {
  return workspacePrincipal(SANDBOX_EDGE_LAYOUT.accountId, who.workspaceId!).arn;
}

/** What the customer does in their own console before provisioning; each part can be left undone. */
export interface CustomerPart {
  /** RDS: the new service's AZs (default use1-az1, use1-az2) and acceptance (default: not required). */
  azIds?: string[];
  acceptanceRequired?: boolean;
  /** RDS: allow the workspace's role on the service (default true). */
  allow?: boolean;
  /** Redshift: the cluster's node type and relocation (default ra3.xlplus, on); authorize the edge (default true). */
  nodeType?: string;
  relocationEnabled?: boolean;
  /** Redshift: grant the edge account; Snowflake: support authorizes the edge account (default true). */
  authorize?: boolean;
}

type Overrides = Partial<Record<InputPhase, Record<string, unknown>>>;

/**
 * The customer's acts in their own (sandbox) console before provisioning, through lib/cloud/sandbox-customer.ts, and
 * what they then type into the wizard: an RDS endpoint service of their own (its generated name) that allows their
 * workspace's role; a Redshift cluster of their own in their own account, granted to the edge account; Snowflake
 * support's authorization of the edge account. Databricks has nothing before: the endpoint is registered once it
 * exists (registerDatabricksEndpoint).
 */
export async function customerPart(db: Db, who: Person, warehouse: Warehouse, part: CustomerPart = {}): Promise<Overrides> {
  const workspaceId = who.workspaceId!;
  const region = 'us-east-1';
  if (warehouse === 'rds_postgres') {
    const s = await createNlbService(db, {
      workspaceId,
      region,
      azIds: part.azIds ?? ['use1-az1', 'use1-az2'],
      acceptanceRequired: part.acceptanceRequired ?? false,
    });
    if (part.allow !== false) await allowPrincipal(db, { workspaceId, serviceName: s.serviceName, principalArn: roleOf(who) });
    return { draft: { endpointServiceName: s.serviceName } };
  }
  if (warehouse === 'redshift') {
    const cluster = {
      workspaceId,
      region,
      account: sandboxCustomerAccountId(workspaceId),
      clusterIdentifier: `dw-${randomBytes(4).toString('hex')}`,
    };
    await createRedshiftCluster(db, {
      ...cluster,
      nodeType: part.nodeType ?? 'ra3.xlplus',
      relocationEnabled: part.relocationEnabled ?? true,
      port: 5439,
    });
    if (part.authorize !== false) await authorizeRedshift(db, { ...cluster, vpcIds: [SANDBOX_EDGE_LAYOUT.regions[region]!.vpcId] });
    return { details: { clusterIdentifier: cluster.clusterIdentifier, awsAccountId: cluster.account } };
  }
  if (warehouse === 'snowflake' && part.authorize !== false) {
    const [, values] = stepsWithValues('snowflake', 'details').find(([, v]) => 'privatelinkConfig' in v)!;
    const config = JSON.parse(String(values.privatelinkConfig)) as Record<string, string>;
    await snowflakeSupportAuthorize(db, { workspaceId, region, privatelinkVpceId: config['privatelink-vpce-id']! });
  }
  return {};
}

const PATH: CaseState[] = ['draft', 'submitted', 'awaiting_customer', 'ready_to_provision', 'pending_approval', 'provisioning'];

/** Like caseIn (test/support/world.ts), with some of the fixture's answers replaced. */
export async function caseWith(db: Db, w: World, warehouse: Warehouse, target: CaseState, customer: Person, overrides: Overrides) {
  const fill = async (caseId: string, version: number, phase: InputPhase) => {
    let v = version;
    for (const [stepId, values] of stepsWithValues(warehouse, phase)) {
      const mine = Object.fromEntries(Object.entries(overrides[phase] ?? {}).filter(([k]) => k in values));
      v = (await saveInputs(db, customer, { caseId, version: v, stepId, values: { ...values, ...mine } })).case.version;
    }
    return v;
  };
  let c = await createDraft(db, customer, { warehouse, region: 'us-east-1' });
  const stop = PATH.indexOf(target);
  let v = await fill(c.id, c.version, 'draft');
  if (stop >= 1) c = await applyEvent(db, customer, { caseId: c.id, event: 'submit', version: v });
  if (stop >= 2) c = await applyEvent(db, w.casey, { caseId: c.id, event: 'accept', version: c.version });
  if (stop >= 3) {
    v = await fill(c.id, c.version, 'details');
    c = await applyEvent(db, customer, { caseId: c.id, event: 'provide_details', version: v });
  }
  if (stop >= 4) c = await applyEvent(db, w.casey, { caseId: c.id, event: 'request_provisioning', version: c.version });
  if (stop >= 5) c = await applyEvent(db, w.erin, { caseId: c.id, event: 'approve', version: c.version });
  return c;
}

/** A case of the world driven by people to `provisioning`, after its customer did their part (customerPart). */
export async function provisioningCase(env: Env, warehouse: Warehouse, customer = env.w.ada, part: CustomerPart = {}) {
  return caseWith(env.db, env.w, warehouse, 'provisioning', customer, await customerPart(env.db, customer, warehouse, part));
}

export { seedWorld };
