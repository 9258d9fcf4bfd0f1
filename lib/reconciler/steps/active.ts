/**
 * Active endpoints: keep looking (docs/design.md#drift). Flags, in words an engineer understands, an endpoint deleted
 * outside the portal, a DNS record gone or changed, a service that moved AZs or disappeared, a Redshift grant
 * revoked. Nothing is "fixed" behind the engineers' backs on a live connection. Then meters the day's bytes and
 * announces usage thresholds.
 */
import { EdgeError } from '@/lib/cloud/errors';
import { sharedAzIds } from '@/lib/cloud/naming';
import { meterEndpoint } from '@/lib/usage/meter';
import { notifyUsageThresholds } from '@/lib/usage/thresholds';
import type { Outcome, StepContext } from '../outcome';

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');

async function interfaceDrift(ctx: StepContext, drift: string[]): Promise<string | null> {
  const row = ctx.endpoint!;
  const ep = await ctx.adapter.describeVpcEndpoint(ctx.c.region, row.awsId!);
  if (!ep || ep.state === 'deleted') {
    drift.push(`VPC endpoint ${row.awsId} no longer exists in the edge account (deleted outside the portal).`);
    return 'deleted';
  }
  if (ep.state !== 'available') drift.push(`VPC endpoint ${ep.id} is ${ep.state}, not available.`);
  if (row.serviceName) {
    try {
      const as = await ctx.adapter.ensureWorkspacePrincipal(ctx.c.workspaceId);
      const service = await ctx.adapter.describeEndpointService(ctx.c.region, row.serviceName, as);
      const shared = sharedAzIds(service.azIds, ctx.edge);
      const add = shared.filter((a) => !row.azIds.includes(a));
      const remove = row.azIds.filter((a) => !shared.includes(a));
      if (shared.length === 0) {
        drift.push(
          `Endpoint service ${row.serviceName} moved to ${list(service.azIds)}, none of which the edge VPC has (it has the endpoint in ${list(row.azIds)}): the connection no longer reaches the service.`,
        );
      } else if (add.length || remove.length) {
        drift.push(
          `Endpoint service ${row.serviceName} now offers ${list(service.azIds)}; the endpoint is in ${list(row.azIds)}: its subnets should follow (${[add.length ? `add ${list(add)}` : '', remove.length ? `remove ${list(remove)}` : ''].filter(Boolean).join(', ')}).`,
        );
      }
    } catch (err) {
      if (!(err instanceof EdgeError) || err.code !== 'unknown_service') throw err;
      drift.push(`Endpoint service ${row.serviceName} no longer exists or no longer lists the edge account as an allowed principal.`);
    }
  }
  return ep.state;
}

async function redshiftDrift(ctx: StepContext, drift: string[]): Promise<string | null> {
  const { c, adapter } = ctx;
  const row = ctx.endpoint!;
  const e = await adapter.describeRedshiftEndpoint(c.region, row.awsId!);
  if (!e) {
    drift.push(`Redshift-managed endpoint ${row.awsId} no longer exists in the edge account (deleted outside the portal).`);
    return 'deleted';
  }
  if (e.status !== 'active') drift.push(`Redshift-managed endpoint ${e.name} is ${e.status}, not active.`);
  const cluster = String(c.inputs.clusterIdentifier ?? '');
  const grant = await adapter.describeRedshiftAuthorization(c.region, cluster, String(c.inputs.awsAccountId ?? ''));
  if (grant?.status !== 'Authorized') drift.push(`The cluster owner revoked the edge account's access to cluster ${cluster}.`);
  return e.status;
}

export async function activeStep(ctx: StepContext): Promise<Outcome> {
  const { c, config } = ctx;
  const row = ctx.endpoint;
  if (!row?.awsId) {
    return {
      next: config.activeRecheckMs,
      lastError: 'This active case has no endpoint recorded: an engineer should decommission it or check the edge account.',
    };
  }
  const drift: string[] = [];
  const state = c.warehouse === 'redshift' ? await redshiftDrift(ctx, drift) : await interfaceDrift(ctx, drift);
  for (const r of ctx.dns) {
    const found = await ctx.adapter.getDnsRecord(r.hostedZoneId, r.name, 'CNAME');
    if (!found) drift.push(`DNS record ${r.name} (CNAME) is missing from hosted zone ${r.hostedZoneId}.`);
    else if (found.value !== r.value) drift.push(`DNS record ${r.name} points at ${found.value}, not at ${r.value}.`);
  }
  const changed = drift.join('\n') !== row.drift.join('\n');
  if (state !== 'deleted') {
    await meterEndpoint(ctx.db, ctx.adapter, ctx.edge.vpcId, row, ctx.now);
    await notifyUsageThresholds(ctx.db, c.workspaceId, ctx.now);
  }
  return {
    endpoint: { id: row.id, drift, ...(state ? { state } : {}), lastReconciledAt: ctx.now, lastError: null },
    audits: changed
      ? [
          {
            action: drift.length ? 'endpoint.drift_detected' : 'endpoint.drift_cleared',
            targetType: 'endpoint',
            targetId: row.id,
            after: { drift, before: row.drift },
          },
        ]
      : [],
    next: config.activeRecheckMs,
  };
}
