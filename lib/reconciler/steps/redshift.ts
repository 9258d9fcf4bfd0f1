/**
 * Redshift: check the customer's grant → create the Redshift-managed endpoint under a name derived from the case
 * (looked up first: the name is the idempotency key) → poll until active → hand back `address:port`.
 */
import { redshiftEndpointName } from '@/lib/cloud/naming';
import { getFlow } from '@/lib/providers';
import type { RedshiftEndpoint } from '@/lib/cloud/types';
import type { Outcome, StepContext } from '../outcome';
import { failOutcome } from './interface-endpoint';

function fields(ctx: StepContext, e: RedshiftEndpoint) {
  return {
    kind: 'redshift_managed',
    awsId: e.name,
    state: e.status,
    dnsName: e.address,
    port: e.port,
    vpcEndpointId: e.vpcEndpointId,
    azIds: ctx.edge.subnets.map((s) => s.azId),
    subnetIds: ctx.edge.subnets.map((s) => s.subnetId),
    lastReconciledAt: ctx.now,
    lastError: null,
  };
}

export async function redshiftStep(ctx: StepContext): Promise<Outcome> {
  const { c, adapter, edge, layout, config } = ctx;
  const given = getFlow(c.warehouse).edge.cluster?.(c.inputs);
  const cluster = given?.identifier ?? '';
  const owner = given?.account ?? '';
  if (!cluster || !owner)
    return failOutcome('The case has no cluster identifier or AWS account ID: the customer must give them before provisioning.');
  const name = redshiftEndpointName(c.id);
  const row = ctx.endpoint;

  const existing = await adapter.describeRedshiftEndpoint(c.region, name);
  if (!row?.awsId || !existing) {
    if (existing && existing.status !== 'deleting') {
      return {
        endpoint: { ...(row ? { id: row.id } : {}), ...fields(ctx, existing) },
        audits: [
          {
            action: 'edge.adopt_redshift_endpoint',
            targetType: 'case',
            targetId: c.id,
            after: { endpointName: name, status: existing.status, reason: 'found by its name before creating' },
          },
        ],
        next: 0,
      };
    }
    if (existing) return { next: config.pollMs, lastError: `A previous Redshift endpoint ${name} is still being deleted.` };
    if (row) {
      // Our recorded endpoint is gone (deleted behind our back while provisioning): retire the row and start again.
      return { endpoint: { id: row.id, state: 'deleted', deletedAt: ctx.now, lastReconciledAt: ctx.now }, next: 0 };
    }
    const grant = await adapter.describeRedshiftAuthorization(c.region, cluster, owner);
    const vpcAllowed = grant && (grant.allowedAllVpcs || grant.allowedVpcs.includes(edge.vpcId));
    if (grant?.status !== 'Authorized' || !vpcAllowed) {
      const state = !grant
        ? 'has not granted'
        : grant.status !== 'Authorized'
          ? `is ${grant.status.toLowerCase()} its grant of`
          : `granted, but not to VPC ${edge.vpcId},`;
      return failOutcome(
        `Cluster access is missing: account ${owner} ${state} cluster ${cluster} to the edge account ${layout.accountId} in ${c.region}. Ask the customer to run: aws redshift authorize-endpoint-access --cluster-identifier ${cluster} --account ${layout.accountId} --vpc-ids ${edge.vpcId} --region ${c.region}; then retry.`,
      );
    }
    const created = await adapter.createRedshiftEndpoint({
      region: c.region,
      caseId: c.id,
      endpointName: name,
      clusterIdentifier: cluster,
      resourceOwner: owner,
    });
    return {
      endpoint: fields(ctx, created),
      audits: [
        {
          action: 'edge.create_redshift_endpoint',
          targetType: 'case',
          targetId: c.id,
          after: { endpointName: name, clusterIdentifier: cluster, resourceOwner: owner, status: created.status },
        },
      ],
      next: config.pollMs,
    };
  }

  if (existing.status !== 'active' || !existing.address || !existing.port) {
    return { endpoint: { id: row.id, ...fields(ctx, existing) }, next: config.pollMs };
  }
  // The service behind Redshift's VPC endpoint names the BytesProcessed metric (lib/usage/meter.ts): read it once.
  let serviceName = row.serviceName;
  if (!serviceName && existing.vpcEndpointId)
    serviceName = (await adapter.describeVpcEndpoint(c.region, existing.vpcEndpointId))?.serviceName ?? null;
  return {
    endpoint: { id: row.id, ...fields(ctx, existing), serviceName },
    event: {
      name: 'activate',
      note: `Redshift-managed endpoint ${name} is active.`,
      // Host and port apart: the customer pastes them into two settings (Hostname, Port).
      outputs: { host: existing.address, port: existing.port, endpointName: name, vpcEndpointId: existing.vpcEndpointId },
    },
    next: config.activeRecheckMs,
  };
}
