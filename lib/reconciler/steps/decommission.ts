/**
 * Decommission (and cancel after provisioning started): delete the DNS records, then the endpoint, wait until AWS
 * says it is gone, then free the slot. Tagged endpoints are looked up too, so an endpoint created just before a crash
 * and never recorded is not left behind.
 */
import { redshiftEndpointName } from '@/lib/cloud/naming';
import type { VpcEndpoint } from '@/lib/cloud/types';
import { getFlow } from '@/lib/providers';
import { meterEndpoint } from '@/lib/usage/meter';
import type { Outcome, StepContext } from '../outcome';
import { toRecord } from './dns';

function done(ctx: StepContext, note: string): Outcome {
  const row = ctx.endpoint;
  return {
    ...(row ? { endpoint: { id: row.id, state: 'deleted', deletedAt: ctx.now, lastReconciledAt: ctx.now, lastError: null } } : {}),
    event: { name: 'decommissioned', note },
    next: 0,
  };
}

export async function decommissionStep(ctx: StepContext): Promise<Outcome> {
  const { c, adapter, config } = ctx;
  if (ctx.dns.length > 0) {
    await adapter.deleteDnsRecords(ctx.dns.map(toRecord));
    return {
      dnsRemoved: ctx.dns.map((r) => r.id),
      audits: ctx.dns.map((r) => ({
        action: 'edge.delete_dns_record',
        targetType: 'case' as const,
        targetId: c.id,
        after: { hostedZoneId: r.hostedZoneId, name: r.name, type: r.type },
      })),
      next: 0,
    };
  }
  const row = ctx.endpoint;
  // Count the last bytes before the endpoint goes (best effort: a metering hiccup must not block the teardown).
  if (row && row.state !== 'deleting') await meterEndpoint(ctx.db, adapter, ctx.edge.vpcId, row, ctx.now).catch(() => undefined);

  if (getFlow(c.warehouse).edge.kind === 'redshift_managed') {
    const name = row?.awsId ?? redshiftEndpointName(c.id);
    const e = await adapter.describeRedshiftEndpoint(c.region, name);
    if (!e) return done(ctx, `Redshift-managed endpoint ${name} deleted.`);
    if (e.status === 'deleting')
      return { ...(row ? { endpoint: { id: row.id, state: 'deleting', lastReconciledAt: ctx.now } } : {}), next: config.pollMs };
    await adapter.deleteRedshiftEndpoint(c.region, name);
    return {
      ...(row ? { endpoint: { id: row.id, state: 'deleting', lastReconciledAt: ctx.now } } : {}),
      audits: [{ action: 'edge.delete_redshift_endpoint', targetType: 'case', targetId: c.id, after: { endpointName: name } }],
      next: config.pollMs,
    };
  }

  const found = await adapter.findVpcEndpointsByCase(c.region, c.id);
  if (row?.awsId && !found.some((e) => e.id === row.awsId)) {
    const recorded = await adapter.describeVpcEndpoint(c.region, row.awsId);
    if (recorded) found.push(recorded);
  }
  const remaining = found.filter((e: VpcEndpoint) => e.state !== 'deleted');
  if (remaining.length === 0)
    return done(ctx, row?.awsId ? `VPC endpoint ${row.awsId} deleted.` : 'Nothing was left to delete in the edge account.');
  const toDelete = remaining.filter((e) => e.state !== 'deleting');
  for (const e of toDelete) await adapter.deleteVpcEndpoint(c.region, e.id);
  return {
    ...(row ? { endpoint: { id: row.id, state: 'deleting', lastReconciledAt: ctx.now } } : {}),
    audits: toDelete.map((e) => ({
      action: 'edge.delete_vpc_endpoint',
      targetType: 'case' as const,
      targetId: c.id,
      after: { vpcEndpointId: e.id, reason: 'decommission' },
    })),
    next: config.pollMs,
  };
}
