/**
 * Names have one owner (docs/design.md#names-have-one-owner): a host name, an endpoint service or a Redshift cluster
 * that a live case of another workspace already claims is never given to a second workspace silently. Staff see both
 * cases; the customer is told only that the name is connected from another account.
 */
import 'server-only';
import { and, arrayOverlaps, asc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { type Case, cases, workspaces } from '@/db/schema';
import { SLOT_HOLDING_STATES } from '@/lib/domain/case-states';
import { normaliseDnsName } from '@/lib/cloud/naming';
import { FLOW_LIST, getFlow, isWarehouse } from '@/lib/providers';
import type { ClaimKind } from '@/lib/providers/types';

export interface Claim {
  kind: ClaimKind;
  /** Compared as is: host names and service names lower case, clusters as <account>/<identifier>. */
  value: string;
}

export interface Conflict {
  claim: Claim;
  caseId: string;
  number: number;
  workspaceId: string;
  workspaceName: string;
  state: Case['state'];
  /** The other case was submitted first: its claim holds this one back (a later claim never holds back an earlier one). */
  first: boolean;
}

/** What a case's inputs claim: the names its flow declares (host names compared normalised). */
export function claimsOf(c: Pick<Case, 'warehouse' | 'inputs'>): Claim[] {
  const { kind, of } = getFlow(c.warehouse).claims;
  const values = of(c.inputs).map((v) => (kind === 'host' ? normaliseDnsName(v) : v));
  return [...new Set(values)].map((value) => ({ kind, value }));
}

/**
 * The claims as stored in cases.claims ("<kind>:<value>"), written with the inputs so that conflictsOf finds the
 * cases that claim a name through an index instead of reading every live case of the region.
 */
export function claimKeys(c: Pick<Case, 'warehouse' | 'inputs'>): string[] {
  return claimsOf(c).map(claimKey);
}

const claimKey = (m: Claim) => `${m.kind}:${m.value}`;

/**
 * Store the claims of cases whose claims are not known (rows from before they were stored, or inputs changed by
 * hand), so that conflictsOf stops reading them on every check. Each row is written only if its inputs are still the
 * ones read, so a save racing it wins. Idempotent: every reconciler runs it at start. Returns how many it filled.
 */
export async function fillUnknownClaims(db: Db, batch = 500): Promise<number> {
  let filled = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .select({ id: cases.id, warehouse: cases.warehouse, inputs: cases.inputs, version: cases.version })
      .from(cases)
      .where(and(isNull(cases.claims), gt(cases.id, after)))
      .orderBy(asc(cases.id))
      .limit(batch);
    for (const r of rows) {
      if (!isWarehouse(r.warehouse)) continue; // a flow this build does not know claims nothing it can name
      const written = await db
        .update(cases)
        .set({ claims: claimKeys(r), claimsVersion: r.version })
        .where(and(eq(cases.id, r.id), isNull(cases.claims), sql`${cases.inputs} = ${JSON.stringify(r.inputs)}::jsonb`))
        .returning({ id: cases.id });
      filled += written.length;
    }
    if (rows.length < batch) return filled;
    after = rows.at(-1)!.id;
  }
}

/** A claim counts while its case is live and its checks have not failed: a squatter that failed never blocks the owner. */
function claimCounts(c: Pick<Case, 'state' | 'preflight'>): boolean {
  if (c.state === 'draft' || c.state === 'failed' || !SLOT_HOLDING_STATES.includes(c.state)) return false;
  const checks = (c.preflight as { checks?: { status?: string }[] } | null)?.checks ?? [];
  return !checks.some((k) => k.status === 'failed');
}

/** Live cases of other workspaces in the same region that claim a name this case claims. */
export async function conflictsOf(
  db: Db,
  c: Pick<Case, 'id' | 'workspaceId' | 'region' | 'warehouse' | 'inputs' | 'submittedAt'>,
): Promise<Conflict[]> {
  const mine = claimsOf(c);
  if (mine.length === 0) return [];
  // Every flow that claims the same kind of name competes for it: host names, for one, are shared by all the flows
  // that write CNAMEs in the edge's private zones.
  const kinds = FLOW_LIST.filter((f) => f.claims.kind === mine[0]!.kind).map((f) => f.warehouse);
  const others = await db
    .select({
      id: cases.id,
      number: cases.number,
      workspaceId: cases.workspaceId,
      workspaceName: workspaces.name,
      state: cases.state,
      warehouse: cases.warehouse,
      inputs: cases.inputs,
      preflight: cases.preflight,
      submittedAt: cases.submittedAt,
    })
    .from(cases)
    .innerJoin(workspaces, eq(workspaces.id, cases.workspaceId))
    .where(
      and(
        ne(cases.workspaceId, c.workspaceId),
        eq(cases.region, c.region),
        inArray(cases.warehouse, [...kinds]),
        inArray(cases.state, [...SLOT_HOLDING_STATES]),
        // The index finds the cases that claim one of these names; a case whose claims are not known (written before
        // they were stored, or its inputs changed by hand) is read anyway and checked from its inputs below.
        or(arrayOverlaps(cases.claims, mine.map(claimKey)), isNull(cases.claims)),
      ),
    );
  const wanted = new Map(mine.map((m) => [claimKey(m), m]));
  const out: Conflict[] = [];
  for (const o of others) {
    if (!claimCounts(o)) continue;
    for (const theirs of claimsOf(o)) {
      const claim = wanted.get(claimKey(theirs));
      if (!claim) continue;
      const first = !c.submittedAt || (o.submittedAt !== null && o.submittedAt.getTime() <= c.submittedAt.getTime());
      out.push({
        claim,
        caseId: o.id,
        number: o.number,
        workspaceId: o.workspaceId,
        workspaceName: o.workspaceName,
        state: o.state,
        first,
      });
    }
  }
  return out;
}

/** The conflicts that hold this case back: claims of cases submitted before it. */
export const holdingBack = (conflicts: readonly Conflict[]) => conflicts.filter((x) => x.first);

/**
 * The customer's words for the claims that hold their case back: never the other case, its number or its workspace.
 * A later claim on their name is staff's business and is not shown to them.
 */
export function customerConflictMessage(conflicts: readonly Conflict[]): string | null {
  const held = holdingBack(conflicts);
  if (held.length === 0) return null;
  const names = [...new Set(held.map((x) => x.claim.value.replace(/^\d+\//, 'cluster ')))];
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} already connected from another account. Your CSM will follow up with you; nothing is provisioned for this case until then.`;
}

/** Staff's words: both cases, so they can resolve it. */
export function staffConflictMessage(conflicts: readonly Conflict[]): string | null {
  if (conflicts.length === 0) return null;
  return conflicts
    .map(
      (x) =>
        `${x.claim.value} is ${x.first ? 'already claimed by' : 'also claimed, later, by'} PL-${x.number} of ${x.workspaceName} (${x.state.replace(/_/g, ' ')})`,
    )
    .join('; ');
}
