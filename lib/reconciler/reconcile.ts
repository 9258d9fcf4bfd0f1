/**
 * One round of the reconciler (docs/design.md#the-reconciler): claim due cases, run the next step of each with no
 * transaction open while AWS is called, record the outcome under the lease, change the case's state only through the
 * case service (applyEvent, fenced by the version we saw), then let go and say when to look next.
 */
import 'server-only';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { prepareOnce } from '@/db/prepared';
import { dnsRecords, endpoints } from '@/db/schema';
import { applyEvent, CaseError } from '@/lib/cases/service';
import { EdgeError } from '@/lib/cloud/errors';
import type { EdgeLayout } from '@/lib/cloud/layout';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { getFlow } from '@/lib/providers';
import type { FlowConfig } from '@/lib/providers/config';
import type { EdgeKind } from '@/lib/providers/types';
import { backoffMs, type ReconcilerConfig } from './config';
import { type ClaimedCase, claimDueCases, releaseCase } from './lease';
import { type Outcome, recordActions, recordOutcome, type StepContext, writeOutcomeRows } from './outcome';
import { activeStep } from './steps/active';
import { decommissionStep } from './steps/decommission';
import { failOutcome } from './steps/interface-endpoint';
import { customerServiceStep, registeredEndpointDnsStep, vendorServiceDnsStep } from './steps/interface-flows';
import { redshiftStep } from './steps/redshift';

export interface ReconcilerDeps {
  db: Db;
  adapter: EdgeAdapter;
  layout: EdgeLayout;
  flows: FlowConfig;
  config: ReconcilerConfig;
  clock?: () => Date;
  /** Told when this reconciler starts and finishes a case (logging, metrics, and the tests that check leases). */
  trace?: (event: { phase: 'start' | 'end'; caseId: string; owner: string }) => void;
}

/** What happened to one case in a round (for logs, tests and the benchmark). */
export interface CaseResult {
  caseId: string;
  state: ClaimedCase['state'];
  event?: string;
  error?: string;
  lostLease?: boolean;
}

// Provisioning by how the edge reaches the warehouse (the flow's edge kind), never by the warehouse's name.
const PROVISIONING_STEPS: Record<EdgeKind, (ctx: StepContext) => Promise<Outcome>> = {
  customer_service: customerServiceStep,
  vendor_service_dns: vendorServiceDnsStep,
  registered_endpoint_dns: registeredEndpointDnsStep,
  redshift_managed: redshiftStep,
};

async function loadContext(deps: ReconcilerDeps, c: ClaimedCase, now: Date): Promise<StepContext> {
  const edge = deps.layout.regions[c.region];
  if (!edge)
    throw new EdgeError(
      'invalid_request',
      `The edge layout has no VPC in ${c.region}: an engineer must add regions.${c.region} to the edge layout, then retry.`,
      'createVpcEndpoint',
    );
  // The case's endpoint rows and its live DNS records in one read: each endpoint row comes once per record (DNS is
  // written for an endpoint, so a case without endpoints has none).
  // Built once (db/prepared.ts): every look runs it.
  const read = prepareOnce(deps.db, 'reconciler_look', (name) =>
    deps.db
      .select({ endpoint: endpoints, dns: dnsRecords })
      .from(endpoints)
      .leftJoin(dnsRecords, and(eq(dnsRecords.caseId, endpoints.caseId), isNull(dnsRecords.deletedAt)))
      .where(eq(endpoints.caseId, sql.placeholder('caseId')))
      .orderBy(asc(endpoints.createdAt), asc(dnsRecords.createdAt))
      .prepare(name),
  );
  const joined = await read.execute({ caseId: c.id });
  const rows = [...new Map(joined.map((r) => [r.endpoint.id, r.endpoint])).values()];
  const dns = [...new Map(joined.flatMap((r) => (r.dns ? [[r.dns.id, r.dns] as const] : []))).values()];
  return {
    db: deps.db,
    c,
    endpoint: rows.find((r) => !r.deletedAt) ?? null,
    generation: rows.length,
    dns,
    adapter: deps.adapter,
    layout: deps.layout,
    edge,
    flows: deps.flows,
    config: deps.config,
    now,
  };
}

function step(ctx: StepContext): Promise<Outcome> {
  switch (ctx.c.state) {
    case 'provisioning':
    case 'awaiting_customer_action':
      return PROVISIONING_STEPS[getFlow(ctx.c.warehouse).edge.kind](ctx);
    case 'active':
      return activeStep(ctx);
    case 'decommissioning':
      return decommissionStep(ctx);
    default:
      return Promise.resolve({ next: 0 });
  }
}

/** Throttling, 5xx and timeouts back off and try again; anything permanent fails a case still being provisioned. */
export function errorOutcome(c: ClaimedCase, err: unknown, config: ReconcilerConfig): Outcome {
  const edge = err instanceof EdgeError ? err : null;
  if (!edge) console.error(`[reconciler] case ${c.id}:`, err);
  const message = edge?.message ?? `Unexpected error while reconciling: ${(err as Error)?.message ?? String(err)}`;
  const canFail = c.state === 'provisioning' || c.state === 'awaiting_customer_action';
  const attempts = c.reconcileAttempts + 1;
  if (canFail && edge && !edge.retryable) return failOutcome(message);
  if (canFail && attempts >= config.maxAttempts) return failOutcome(`Gave up after ${attempts} attempts in a row. Last error: ${message}`);
  // Active and decommissioning cases cannot fail: they keep trying, slower and slower, with the error shown.
  return { next: backoffMs(attempts, config), lastError: message, attempts };
}

/** Look at one claimed case and write down what happened. Never throws for the case's own troubles. */
export async function reconcileCase(deps: ReconcilerDeps, c: ClaimedCase): Promise<CaseResult> {
  deps.trace?.({ phase: 'start', caseId: c.id, owner: deps.config.owner });
  try {
    return await reconcileClaimed(deps, c);
  } finally {
    deps.trace?.({ phase: 'end', caseId: c.id, owner: deps.config.owner });
  }
}

async function reconcileClaimed(deps: ReconcilerDeps, c: ClaimedCase): Promise<CaseResult> {
  const clock = deps.clock ?? (() => new Date());
  const now = clock();
  let ctx: StepContext | null = null;
  let outcome: Outcome;
  try {
    ctx = await loadContext(deps, c, now);
    outcome = await step(ctx);
  } catch (err) {
    outcome = errorOutcome(c, err, deps.config);
    // The endpoints dashboard shows each endpoint's last error.
    const message = outcome.lastError ?? outcome.event?.note;
    if (ctx?.endpoint && message) outcome.endpoint = { id: ctx.endpoint.id, lastError: message, lastReconciledAt: now };
  }
  ctx ??= {
    db: deps.db,
    c,
    endpoint: null,
    generation: 0,
    dns: [],
    adapter: deps.adapter,
    layout: deps.layout,
    edge: deps.layout.regions[c.region]!,
    flows: deps.flows,
    config: deps.config,
    now,
  };

  const result: CaseResult = { caseId: c.id, state: c.state, ...(outcome.lastError ? { error: outcome.lastError } : {}) };
  try {
    return await settle(deps, ctx, outcome, result);
  } catch (err) {
    // The database refused what we tried to write (or went away): let go with a backoff instead of sitting on the
    // lease until it expires. If even that fails, the lease expiring is the fallback.
    console.error(`[reconciler] case ${c.id}: recording the outcome failed:`, err);
    const attempts = c.reconcileAttempts + 1;
    const lastError = `Could not record the reconciler's result: ${(err as Error)?.message ?? String(err)}`;
    await releaseCase(deps.db, c.id, deps.config.owner, {
      expectedVersion: c.version,
      next: new Date(clock().getTime() + backoffMs(attempts, deps.config)),
      now: clock(),
      attempts,
      lastError,
    }).catch(() => false);
    return { ...result, error: lastError };
  }
}

/** Record the outcome under the lease — with its event through the case service, if it has one — and let go of the case. */
async function settle(deps: ReconcilerDeps, ctx: StepContext, outcome: Outcome, result: CaseResult): Promise<CaseResult> {
  const { c } = ctx;
  const clock = deps.clock ?? (() => new Date());
  const release = {
    next: new Date(clock().getTime() + outcome.next),
    attempts: outcome.attempts ?? 0,
    lastError: outcome.lastError ?? null,
  };
  await recordActions(ctx, outcome);
  // Without an event, the outcome's rows and the release are one transaction.
  if (!outcome.event) {
    return (await recordOutcome(ctx, outcome, { ...release, expectedVersion: c.version, now: clock() }))
      ? result
      : { ...result, lostLease: true };
  }
  try {
    // With one, the event's transaction writes them too: its UPDATE is fenced by the version and the lease we hold,
    // and lets go of the case itself.
    await applyEvent(
      deps.db,
      'reconciler',
      {
        caseId: c.id,
        event: outcome.event.name,
        version: c.version,
        ...(outcome.event.note ? { note: outcome.event.note.slice(0, 2_000) } : {}),
        ...(outcome.event.outputs ? { payload: { outputs: outcome.event.outputs } } : {}),
      },
      {},
      clock(),
      { seen: c, owner: deps.config.owner, release, write: (tx) => writeOutcomeRows(tx, ctx, outcome) },
    );
    return { ...result, event: outcome.event.name };
  } catch (err) {
    // Someone acted on the case since we claimed it (a cancel, the customer's answer), or another reconciler holds it
    // by now: nothing was written. What the look found in AWS still stands, so write it, and look again now — unless
    // the lease is gone, and then nothing is written.
    if (!(err instanceof CaseError) || (err.reason !== 'stale_version' && err.reason !== 'wrong_state')) throw err;
  }
  return (await recordOutcome(ctx, outcome, { ...release, expectedVersion: -1, now: clock() })) ? result : { ...result, lostLease: true };
}

/** Claim a batch of due cases and reconcile them, a few at a time. Returns what happened to each. */
export async function reconcileOnce(deps: ReconcilerDeps): Promise<CaseResult[]> {
  const now = (deps.clock ?? (() => new Date()))();
  const claimed = await claimDueCases(deps.db, deps.config.owner, deps.config.batchSize, deps.config.leaseMs, now);
  const results: CaseResult[] = new Array(claimed.length);
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const i = next++;
      results[i] = await reconcileCase(deps, claimed[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.config.concurrency, claimed.length) }, worker));
  return results;
}
