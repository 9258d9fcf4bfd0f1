/**
 * Names have one owner (docs/design.md#names-have-one-owner): a host name, an endpoint service or a Redshift cluster
 * that a live case of another workspace already claims is never given to a second workspace silently. Staff see both
 * cases; the customer is told only that the name is connected from another account.
 */
import 'server-only';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { type Case, cases, workspaces } from '@/db/schema';
import { SLOT_HOLDING_STATES } from '@/lib/domain/case-states';
import { normaliseDnsName } from '@/lib/cloud/naming';
import { snowflakeHosts } from '@/lib/validation/snowflake';

export type ClaimKind = 'host' | 'endpoint_service' | 'redshift_cluster';

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

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** What a case's inputs claim. */
export function claimsOf(c: Pick<Case, 'warehouse' | 'inputs'>): Claim[] {
  const i = c.inputs;
  switch (c.warehouse) {
    case 'snowflake': {
      const cfg = (i.privatelinkConfig ?? {}) as Record<string, unknown>;
      return [...new Set(snowflakeHosts(cfg).map(normaliseDnsName))].map((value) => ({ kind: 'host' as const, value }));
    }
    case 'databricks': {
      const url = text(i.workspaceUrl);
      if (!url) return [];
      try {
        return [{ kind: 'host', value: normaliseDnsName(new URL(url).hostname) }];
      } catch {
        return [];
      }
    }
    case 'rds_postgres': {
      const name = text(i.endpointServiceName);
      return name ? [{ kind: 'endpoint_service', value: name.toLowerCase() }] : [];
    }
    case 'redshift': {
      const cluster = text(i.clusterIdentifier);
      const account = text(i.awsAccountId)?.replace(/\D/g, '');
      return cluster && account ? [{ kind: 'redshift_cluster', value: `${account}/${cluster.toLowerCase()}` }] : [];
    }
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
  // Host names are shared by Snowflake and Databricks (both write CNAMEs in the edge's private zones).
  const kinds = mine[0]!.kind === 'host' ? (['snowflake', 'databricks'] as const) : ([c.warehouse] as const);
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
      ),
    );
  const wanted = new Map(mine.map((m) => [`${m.kind}:${m.value}`, m]));
  const out: Conflict[] = [];
  for (const o of others) {
    if (!claimCounts(o)) continue;
    for (const theirs of claimsOf(o)) {
      const claim = wanted.get(`${theirs.kind}:${theirs.value}`);
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
