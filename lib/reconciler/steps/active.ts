/**
 * Active endpoints: keep looking (docs/design.md#drift). Flags, in words an engineer understands, an endpoint deleted
 * outside the portal or not available (partial included), a DNS record gone or changed, a service that disappeared
 * or shares no zone with the edge any more, a Redshift grant revoked. Two things it puts right by itself, audited: an
 * endpoint follows its service's zones when at least one stays shared (never removing the last), and a second live
 * endpoint tagged with the case is deleted (never the recorded one). Then meters the day's bytes and announces usage
 * thresholds.
 */
import { EdgeError } from '@/lib/cloud/errors';
import { sharedAzIds } from '@/lib/cloud/naming';
import { DEAD_ENDPOINT_STATES, type VpcEndpoint } from '@/lib/cloud/types';
import type { EndpointAzChangeNotice } from '@/lib/notifications/notify';
import { getFlow } from '@/lib/providers';
import { meterEndpoint } from '@/lib/usage/meter';
import { notifyUsageThresholds } from '@/lib/usage/thresholds';
import type { Outcome, StepContext } from '../outcome';
import { azIdsOfSubnets } from './interface-endpoint';

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');

/** What the active look did in AWS, on top of what it saw. */
interface Acted {
  audits: NonNullable<Outcome['audits']>;
  notices: EndpointAzChangeNotice[];
  /** Endpoint row fields read back from AWS after a change. */
  fields: { subnetIds?: string[]; azIds?: string[]; state?: string; dnsName?: string | null };
}

const liveState = (e: VpcEndpoint) => !DEAD_ENDPOINT_STATES.includes(e.state) && e.state !== 'deleting';

/**
 * A live endpoint other than the recorded one carrying the case's tag (a lease that expired mid-create can leave
 * one): flagged, and deleted — never the recorded one, and only while the recorded one is there to keep.
 */
async function duplicateEndpoints(ctx: StepContext, recorded: string, recordedGone: boolean, drift: string[], acted: Acted) {
  const { c, adapter } = ctx;
  const extra = (await adapter.findVpcEndpointsByCase(c.region, c.id)).filter((e) => e.id !== recorded && liveState(e));
  for (const x of extra) {
    if (recordedGone) {
      drift.push(
        `VPC endpoint ${x.id} (${x.state}) also carries this case's tag; it was left in place because the recorded endpoint ${recorded} is gone: an engineer decides which to keep.`,
      );
      continue;
    }
    await adapter.deleteVpcEndpoint(c.region, x.id);
    drift.push(`VPC endpoint ${x.id} (${x.state}) was a second endpoint tagged with this case beside ${recorded}: the portal deleted it.`);
    acted.audits.push({
      action: 'edge.delete_vpc_endpoint',
      targetType: 'case',
      targetId: c.id,
      after: { vpcEndpointId: x.id, state: x.state, keptVpcEndpointId: recorded, reason: 'duplicate endpoint for the case' },
    });
  }
}

/**
 * The endpoint follows its service's zones: add the newly shared AZ IDs, remove the ones no longer offered. The
 * endpoint ends up in every zone both sides share, so it is never left without one; when none is shared, nothing is
 * touched and the drift says why (docs/design.md#drift).
 */
async function followServiceAzs(ctx: StepContext, ep: VpcEndpoint, serviceAzIds: string[], drift: string[], acted: Acted) {
  const { c, adapter, edge } = ctx;
  const row = ctx.endpoint!;
  const current = azIdsOfSubnets(edge, ep.subnetIds);
  const shared = sharedAzIds(serviceAzIds, edge);
  const add = shared.filter((a) => !current.includes(a));
  const remove = current.filter((a) => !shared.includes(a));
  if (shared.length === 0) {
    drift.push(
      `Endpoint service ${row.serviceName} moved to ${list(serviceAzIds)}, none of which the edge VPC has (it has the endpoint in ${list(current)}): the connection no longer reaches the service.`,
    );
    return;
  }
  if (add.length === 0 && remove.length === 0) return;
  const change = `${[add.length ? `add ${list(add)}` : '', remove.length ? `remove ${list(remove)}` : ''].filter(Boolean).join(', ')}`;
  if (ep.state !== 'available') {
    drift.push(
      `Endpoint service ${row.serviceName} now offers ${list(serviceAzIds)}; the endpoint is in ${list(current)}: its subnets should follow (${change}), which waits until it is available.`,
    );
    return;
  }
  try {
    await adapter.modifyVpcEndpointAzs(c.region, ep.id, { addAzIds: add, removeAzIds: remove });
  } catch (err) {
    if (!(err instanceof EdgeError) || err.retryable) throw err;
    drift.push(
      `Endpoint service ${row.serviceName} now offers ${list(serviceAzIds)}; moving the endpoint's subnets (${change}) failed: ${err.message}`,
    );
    return;
  }
  // What AWS reports afterwards is what the row keeps.
  const after = (await adapter.describeVpcEndpoint(c.region, ep.id)) ?? ep;
  const afterAzIds = azIdsOfSubnets(edge, after.subnetIds);
  acted.fields = { subnetIds: after.subnetIds, azIds: afterAzIds, state: after.state, dnsName: after.dnsName };
  acted.audits.push({
    action: 'edge.modify_vpc_endpoint',
    targetType: 'case',
    targetId: c.id,
    after: {
      vpcEndpointId: ep.id,
      serviceName: row.serviceName,
      serviceAzIds,
      added: add,
      removed: remove,
      before: { azIds: current, subnetIds: ep.subnetIds },
      after: { azIds: afterAzIds, subnetIds: after.subnetIds },
    },
  });
  acted.notices.push({
    caseRow: c,
    vpcEndpointId: ep.id,
    serviceName: row.serviceName ?? '',
    beforeAzIds: current,
    afterAzIds,
  });
}

async function interfaceDrift(ctx: StepContext, drift: string[], acted: Acted): Promise<string | null> {
  const row = ctx.endpoint!;
  const ep = await ctx.adapter.describeVpcEndpoint(ctx.c.region, row.awsId!);
  const gone = !ep || ep.state === 'deleted';
  await duplicateEndpoints(ctx, row.awsId!, gone, drift, acted);
  if (gone) {
    drift.unshift(`VPC endpoint ${row.awsId} no longer exists in the edge account (deleted outside the portal).`);
    return 'deleted';
  }
  if (ep.state === 'partial') {
    // docs/facts.md#the-partial-state
    drift.push(
      `VPC endpoint ${ep.id} is partial: AWS has it in service in only part of its subnets, so traffic may not get through from every zone. An engineer should check its network interfaces in the edge account.`,
    );
  } else if (ep.state !== 'available') drift.push(`VPC endpoint ${ep.id} is ${ep.state}, not available.`);
  if (row.serviceName) {
    try {
      const as = await ctx.adapter.ensureWorkspacePrincipal(ctx.c.workspaceId);
      const service = await ctx.adapter.describeEndpointService(ctx.c.region, row.serviceName, as);
      await followServiceAzs(ctx, ep, service.azIds, drift, acted);
    } catch (err) {
      if (!(err instanceof EdgeError) || err.code !== 'unknown_service') throw err;
      drift.push(`Endpoint service ${row.serviceName} no longer exists or no longer lists the edge account as an allowed principal.`);
    }
  }
  return acted.fields.state ?? ep.state;
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
  const owner = getFlow(c.warehouse).edge.cluster?.(c.inputs);
  const cluster = owner?.identifier ?? '';
  const grant = await adapter.describeRedshiftAuthorization(c.region, cluster, owner?.account ?? '');
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
  const acted: Acted = { audits: [], notices: [], fields: {} };
  const state =
    getFlow(c.warehouse).edge.kind === 'redshift_managed' ? await redshiftDrift(ctx, drift) : await interfaceDrift(ctx, drift, acted);
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
    endpoint: { id: row.id, drift, ...acted.fields, ...(state ? { state } : {}), lastReconciledAt: ctx.now, lastError: null },
    audits: [
      ...acted.audits,
      ...(changed
        ? [
            {
              action: drift.length ? 'endpoint.drift_detected' : 'endpoint.drift_cleared',
              targetType: 'endpoint' as const,
              targetId: row.id,
              after: { drift, before: row.drift },
            },
          ]
        : []),
    ],
    ...(acted.notices.length ? { notices: acted.notices } : {}),
    next: config.activeRecheckMs,
  };
}
