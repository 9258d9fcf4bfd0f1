/**
 * What one look at a case produced, and how it is written down. A step observes the edge account, does at most one
 * changing action, and returns an Outcome. The audit rows of actions already taken in AWS are facts either way and
 * are written first (recordActions); the rest only while this reconciler still holds the case's lease, in one
 * transaction: with the outcome's event when it has one (lib/cases/service.ts applyEvent), else with letting go
 * (recordOutcome).
 */
import 'server-only';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { dnsRecords, type Endpoint, endpoints } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import type { EdgeLayout, EdgeRegion } from '@/lib/cloud/layout';
import type { DnsRecord, EdgeAdapter } from '@/lib/cloud/types';
import { type EndpointAzChangeNotice, notifyEndpointAzChange } from '@/lib/notifications/notify';
import type { FlowConfig } from '@/lib/providers/config';
import type { ReconcilerConfig } from './config';
import { type ClaimedCase, type Release, releaseCase } from './lease';

export type DnsRow = typeof dnsRecords.$inferSelect;
export type EndpointInsert = typeof endpoints.$inferInsert;

export interface StepContext {
  db: Db;
  c: ClaimedCase;
  /** The case's live endpoint row, if any. */
  endpoint: Endpoint | null;
  /** How many endpoint rows the case ever had: part of the ClientToken, so a replaced endpoint gets a new token. */
  generation: number;
  /** The case's live DNS records as we wrote them. */
  dns: DnsRow[];
  adapter: EdgeAdapter;
  layout: EdgeLayout;
  edge: EdgeRegion;
  flows: FlowConfig;
  config: ReconcilerConfig;
  now: Date;
}

export type ReconcilerEvent = 'await_customer_action' | 'activate' | 'fail' | 'decommissioned';

export interface Outcome {
  /** Insert (no id) or update (id) the case's endpoint row. */
  endpoint?: Partial<EndpointInsert> & { id?: string };
  /**
   * Records written to Route 53, to remember, each with the change ID to wait for (null: nothing to wait for); and
   * ids of dns_records rows whose records are gone.
   */
  dnsWritten?: (DnsRecord & { changeId: string | null })[];
  dnsRemoved?: string[];
  /** ids of dns_records rows whose Route 53 change is now INSYNC (docs/facts.md#route-53-change-status). */
  dnsInSync?: string[];
  /** The reconciler's own AWS-changing actions (actor role 'reconciler'). */
  audits?: { action: string; targetType: 'endpoint' | 'dns_record' | 'case'; targetId: string; after: Record<string, unknown> }[];
  /** In-app notices of actions already taken in AWS: written, like the audits, whatever becomes of the rest. */
  notices?: EndpointAzChangeNotice[];
  event?: { name: ReconcilerEvent; note?: string; outputs?: Record<string, unknown> };
  /** Milliseconds until the next look. */
  next: number;
  /** Kept on the case while it stays in a reconciler state (retryable trouble); null on progress. */
  lastError?: string | null;
  attempts?: number;
}

export const RECONCILER_ACTOR = { id: null, role: 'reconciler' } as const;

/**
 * First, and outside any transaction: the audit rows and in-app notices of actions already taken in AWS, which are
 * facts whatever becomes of the rest of the look.
 */
export async function recordActions(ctx: StepContext, o: Outcome): Promise<void> {
  const { c } = ctx;
  await writeAudit(
    ctx.db,
    (o.audits ?? []).map((a) => ({
      actor: RECONCILER_ACTOR,
      action: a.action,
      targetType: a.targetType,
      targetId: a.targetId,
      workspaceId: c.workspaceId,
      after: a.after,
    })),
  );
  for (const n of o.notices ?? []) await ctx.db.transaction((tx) => notifyEndpointAzChange(tx, n));
}

/**
 * Write an outcome's rows and let go of the case, in one transaction; false when the lease was lost (another
 * reconciler took the case), and then nothing is written. The releasing UPDATE is the lease check, and the row stays
 * locked until the rows are written (docs/design.md#rounds-and-leases).
 */
export async function recordOutcome(ctx: StepContext, o: Outcome, release: Release): Promise<boolean> {
  const { c, config } = ctx;
  if (!hasRows(o)) {
    // Nothing of ours to write: letting go is all there is, and a lease already lost changes nothing.
    await releaseCase(ctx.db, c.id, config.owner, release);
    return true;
  }
  return ctx.db.transaction(async (tx) => {
    if (!(await releaseCase(tx, c.id, config.owner, release))) return false;
    await writeOutcomeRows(tx, ctx, o);
    return true;
  });
}

function hasRows(o: Outcome): boolean {
  return Boolean(o.endpoint || o.dnsWritten?.length || o.dnsRemoved?.length || o.dnsInSync?.length);
}

/** The outcome's endpoint and DNS rows, in the caller's transaction (which holds the case's lease). */
export async function writeOutcomeRows(tx: Tx, ctx: StepContext, o: Outcome): Promise<void> {
  const { c, now } = ctx;
  let endpointId = o.endpoint?.id ?? ctx.endpoint?.id ?? null;
  if (o.endpoint) {
    const { id, ...fields } = o.endpoint;
    if (id) {
      await tx.update(endpoints).set(fields).where(eq(endpoints.id, id));
    } else {
      const [row] = await tx
        .insert(endpoints)
        .values({
          caseId: c.id,
          workspaceId: c.workspaceId,
          region: c.region,
          kind: 'interface',
          ...fields,
        })
        .returning({ id: endpoints.id });
      endpointId = row!.id;
    }
  }
  if (o.dnsRemoved?.length) {
    await tx
      .update(dnsRecords)
      .set({ deletedAt: now })
      .where(and(eq(dnsRecords.caseId, c.id), inArray(dnsRecords.id, o.dnsRemoved)));
  }
  for (const r of o.dnsWritten ?? []) {
    // UPSERT semantics: retire what we had under that name, then remember what is there now.
    await tx
      .update(dnsRecords)
      .set({ deletedAt: now })
      .where(
        and(
          eq(dnsRecords.caseId, c.id),
          eq(dnsRecords.hostedZoneId, r.hostedZoneId),
          eq(dnsRecords.name, r.name),
          eq(dnsRecords.type, r.type),
          isNull(dnsRecords.deletedAt),
        ),
      );
    await tx.insert(dnsRecords).values({
      caseId: c.id,
      endpointId,
      hostedZoneId: r.hostedZoneId,
      name: r.name,
      type: r.type,
      value: r.value,
      ttl: r.ttl,
      changeId: r.changeId,
    });
  }
  if (o.dnsInSync?.length) {
    await tx
      .update(dnsRecords)
      .set({ inSyncAt: now })
      .where(and(eq(dnsRecords.caseId, c.id), inArray(dnsRecords.id, o.dnsInSync), isNull(dnsRecords.inSyncAt)));
  }
}
