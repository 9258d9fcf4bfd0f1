/** CNAMEs in the edge VPC's private hosted zones pointing host names at a VPC endpoint (Route 53 UPSERT). */
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { cases, dnsRecords } from '@/db/schema';
import { hostedZoneFor, normaliseDnsName } from '@/lib/cloud/naming';
import type { DnsRecord } from '@/lib/cloud/types';
import type { DnsRow, Outcome, StepContext } from '../outcome';
import { failOutcome } from './interface-endpoint';

// CNAMEs with TTL 300, as in Snowflake's PrivateLink DNS set-up (docs/facts.md#snowflake).
export const DNS_TTL = 300;

const sameName = (a: { hostedZoneId: string; name: string; type: string }, b: { hostedZoneId: string; name: string; type: string }) =>
  a.hostedZoneId === b.hostedZoneId && a.name === b.name && a.type === b.type;

export function toRecord(r: DnsRow): DnsRecord {
  return { hostedZoneId: r.hostedZoneId, name: r.name, type: 'CNAME', value: r.value, ttl: r.ttl };
}

/**
 * Bring the case's records to exactly `hosts` → `target`. Returns null when they already are (as far as our rows
 * say; the active check asks Route 53), else the outcome of writing the difference.
 */
export async function ensureDnsRecords(ctx: StepContext, hosts: readonly string[], target: string): Promise<Outcome | null> {
  const { c, edge } = ctx;
  const desired: DnsRecord[] = [];
  for (const host of new Set(hosts.map(normaliseDnsName))) {
    const zone = hostedZoneFor(edge, host);
    if (!zone) {
      const suffix = host.split('.').slice(1).join('.');
      return failOutcome(
        `The edge layout has no private hosted zone for ${host} in ${c.region}: an engineer must add one (such as ${suffix}) to the edge layout, attached to VPC ${edge.vpcId}, then retry.`,
      );
    }
    desired.push({ hostedZoneId: zone.id, name: host, type: 'CNAME', value: normaliseDnsName(target), ttl: DNS_TTL });
  }
  const missing = desired.filter((d) => !ctx.dns.some((r) => sameName(r, d) && r.value === d.value));
  const stale = ctx.dns.filter((r) => !desired.some((d) => sameName(r, d)));
  if (missing.length === 0 && stale.length === 0) return null;

  if (missing.length > 0) {
    const taken = await ctx.db
      .select({ name: dnsRecords.name, number: cases.number, caseId: cases.id, workspaceId: cases.workspaceId })
      .from(dnsRecords)
      .innerJoin(cases, eq(dnsRecords.caseId, cases.id))
      .where(
        and(
          isNull(dnsRecords.deletedAt),
          ne(dnsRecords.caseId, c.id),
          inArray(
            dnsRecords.name,
            missing.map((m) => m.name),
          ),
        ),
      );
    const clash = taken[0];
    if (clash) {
      // The case's error is shown to its customer: another workspace's case is never named there. Staff find both
      // cases in the audit row (edge.dns_name_conflict).
      const own = clash.workspaceId === c.workspaceId;
      const note = own
        ? `The DNS name ${clash.name} already points at the endpoint of case PL-${clash.number} of this workspace: two connections cannot share a host name. Decommission one of them, then retry.`
        : `The DNS name ${clash.name} is already connected from another account: your CSM will follow up. (Staff: the audit log names the other case.)`;
      return failOutcome(note, {
        audits: [
          {
            action: 'edge.dns_name_conflict',
            targetType: 'case',
            targetId: c.id,
            after: { name: clash.name, otherCaseId: clash.caseId, otherCaseNumber: clash.number, otherWorkspaceId: clash.workspaceId },
          },
        ],
      });
    }
  }
  // One UPSERT per hosted zone, so that each record is remembered with the change it has to wait for: Route 53 makes
  // one change batch of each call per zone (docs/facts.md#route-53-change-status).
  const written: (DnsRecord & { changeId: string | null })[] = [];
  for (const zone of new Set(missing.map((m) => m.hostedZoneId))) {
    const batch = missing.filter((m) => m.hostedZoneId === zone);
    const { changeIds } = await ctx.adapter.upsertDnsRecords(batch);
    written.push(...batch.map((r) => ({ ...r, changeId: changeIds[0] ?? null })));
  }
  if (stale.length > 0) await ctx.adapter.deleteDnsRecords(stale.map(toRecord));
  return {
    dnsWritten: written,
    dnsRemoved: stale.map((r) => r.id),
    audits: [
      ...written.map((r) => ({
        action: 'edge.upsert_dns_record',
        targetType: 'case' as const,
        targetId: c.id,
        after: { hostedZoneId: r.hostedZoneId, name: r.name, type: r.type, value: r.value, ttl: r.ttl, changeId: r.changeId },
      })),
      ...stale.map((r) => ({
        action: 'edge.delete_dns_record',
        targetType: 'case' as const,
        targetId: c.id,
        after: { hostedZoneId: r.hostedZoneId, name: r.name, type: r.type },
      })),
    ],
    next: 0,
  };
}

/**
 * Whether every live record of the case has reached all of Route 53's servers (docs/facts.md#route-53-change-status):
 * asks GetChange, once per change, for the records still waiting. `inSync` lists the rows found INSYNC on this look
 * (to stamp with in_sync_at), `pending` the names still waiting. A row without a change ID counts as in sync: rows
 * written before change IDs were kept have none, and their changes were long applied.
 */
export async function dnsChangesInSync(ctx: StepContext): Promise<{ inSync: string[]; pending: string[] }> {
  const waiting = ctx.dns.filter((r) => r.changeId && !r.inSyncAt);
  const status = new Map<string, 'PENDING' | 'INSYNC'>();
  for (const id of new Set(waiting.map((r) => r.changeId!))) status.set(id, await ctx.adapter.getDnsChangeStatus(id));
  return {
    inSync: waiting.filter((r) => status.get(r.changeId!) === 'INSYNC').map((r) => r.id),
    pending: waiting.filter((r) => status.get(r.changeId!) !== 'INSYNC').map((r) => r.name),
  };
}
