/**
 * The edge kinds built on an interface VPC endpoint (docs/design.md#flows-and-the-registry), from `provisioning` to
 * `active`. Each look runs the next idempotent step and says when to look again. What differs per warehouse (the
 * service, the port, the host names, the words) comes from the case's flow.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { caseEvents, type Endpoint } from '@/db/schema';
import type { VpcEndpoint } from '@/lib/cloud/types';
import { getFlow } from '@/lib/providers';
import type { FlowDefinition } from '@/lib/providers/types';
import type { Outcome, StepContext } from '../outcome';
import { dnsChangesInSync, ensureDnsRecords } from './dns';
import { ensureInterfaceEndpoint, failOutcome, isDead, mirror, retireDeadEndpoint } from './interface-endpoint';

const HTTPS = 443;

const flowOf = (ctx: StepContext): FlowDefinition => getFlow(ctx.c.warehouse);

/** The flow's endpoint service for the case, read through the flow (ctx.c.region is the case's). */
const serviceOf = (ctx: StepContext, flow: FlowDefinition) =>
  flow.edge.serviceName?.(ctx.c.inputs, { region: ctx.c.region, config: ctx.flows });

/**
 * What the customer sent with "Send and finish" since the endpoint last waited on them, or null when they have not
 * sent yet. Answers that are only saved (autosave) are theirs to change until they send, so the edge never acts on them.
 */
async function sentCustomerAction(ctx: StepContext): Promise<Record<string, unknown> | null> {
  const [last] = await ctx.db
    .select({ event: caseEvents.event, payload: caseEvents.payload })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, ctx.c.id), inArray(caseEvents.event, ['await_customer_action', 'send_customer_action'])))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  if (last?.event !== 'send_customer_action') return null;
  const sent = (last.payload as Record<string, unknown>).sent;
  return sent && typeof sent === 'object' ? (sent as Record<string, unknown>) : {};
}

/**
 * An endpoint AWS reports `partial` is not ready (docs/facts.md#the-partial-state): keep looking, never activate on
 * it, and say so on the case (the endpoint row shows the state).
 */
function waitWhilePartial(ctx: StepContext, row: Endpoint, ep: VpcEndpoint): Outcome {
  const note = `VPC endpoint ${ep.id} is partial: AWS has not brought it into service in every subnet yet; the portal waits for it to become available.`;
  return { endpoint: mirror(ctx, row, ep), next: ctx.config.pollMs, lastError: note };
}

/**
 * Activation waits until Route 53 has every record of the case on all its servers (docs/facts.md#route-53-change-status).
 * Gives the rows found in sync on this look when all are, else the outcome of waiting (those rows remembered, and
 * the next look soon).
 */
async function waitForDns(ctx: StepContext, row: Endpoint, ep: VpcEndpoint): Promise<{ wait: Outcome } | { inSync: string[] }> {
  const { inSync, pending } = await dnsChangesInSync(ctx);
  if (pending.length === 0) return { inSync };
  return { wait: { endpoint: mirror(ctx, row, ep), dnsInSync: inSync, next: ctx.config.pollMs } };
}

/**
 * registered_endpoint_dns (Databricks): endpoint to the vendor's regional service → the customer registers it and
 * sends the host name → DNS for that host → active.
 */
export async function registeredEndpointDnsStep(ctx: StepContext): Promise<Outcome> {
  const { c, config } = ctx;
  const flow = flowOf(ctx);
  const service = serviceOf(ctx, flow);
  if (!service) {
    return failOutcome(
      `No ${flow.name} workspace endpoint service is configured for ${c.region}: an engineer must add it to DATABRICKS_WORKSPACE_SERVICES, then retry.`,
    );
  }
  const got = await ensureInterfaceEndpoint(ctx, service, HTTPS);
  if ('outcome' in got) return got.outcome;
  const { ep, row } = got;
  if (isDead(ep)) {
    return retireDeadEndpoint(
      ctx,
      row,
      ep,
      `${flow.name} did not accept VPC endpoint ${ep.id} (state ${ep.state}): ${flow.edge.refusedFix ?? 'ask the customer to check their side'}, then retry.`,
    );
  }
  const outputs = { vpcEndpointId: ep.id, vpcEndpointDnsName: ep.dnsName };
  const sent = await sentCustomerAction(ctx);
  if (!sent) {
    // Until the customer sends, there is nothing to do but keep an eye on the endpoint.
    if (c.state !== 'provisioning') return { endpoint: mirror(ctx, row, ep), next: config.waitCustomerMs };
    return {
      endpoint: mirror(ctx, row, ep),
      event: {
        name: 'await_customer_action',
        note: `VPC endpoint ${ep.id} created: the customer registers it in their ${flow.name} account and gives the workspace URL.`,
        outputs,
      },
      next: config.waitCustomerMs,
    };
  }
  const [host] = flow.edge.hosts?.(sent) ?? [];
  if (!host) return failOutcome('The customer sent no workspace URL: ask them to open the case and send it again, then retry.');
  // Databricks accepts a registered endpoint by itself (docs/facts.md#databricks); until then it stays pendingAcceptance.
  if (ep.state === 'partial') return waitWhilePartial(ctx, row, ep);
  if (ep.state !== 'available' || !ep.dnsName) return { endpoint: mirror(ctx, row, ep), next: config.pollMs };
  const dns = await ensureDnsRecords(ctx, [host], ep.dnsName);
  if (dns) return { ...dns, endpoint: mirror(ctx, row, ep) };
  const synced = await waitForDns(ctx, row, ep);
  if ('wait' in synced) return synced.wait;
  return {
    endpoint: mirror(ctx, row, ep),
    dnsInSync: synced.inSync,
    event: { name: 'activate', note: `DNS for ${host} points at VPC endpoint ${ep.id}.`, outputs: { ...outputs, workspaceHost: host } },
    next: config.activeRecheckMs,
  };
}

/**
 * customer_service (RDS Postgres): endpoint to the customer's own endpoint service → wait while `pendingAcceptance` →
 * active with the DNS name.
 */
export async function customerServiceStep(ctx: StepContext): Promise<Outcome> {
  const { c, config } = ctx;
  const flow = flowOf(ctx);
  const service = serviceOf(ctx, flow);
  if (!service)
    return failOutcome(flow.edge.missingService ?? 'The case has no endpoint service name: the customer must give it before provisioning.');
  const port = flow.edge.port?.(c.inputs) ?? null;
  const got = await ensureInterfaceEndpoint(ctx, service, port);
  if ('outcome' in got) return got.outcome;
  const { ep, row } = got;
  if (isDead(ep)) {
    return retireDeadEndpoint(
      ctx,
      row,
      ep,
      `The owner of endpoint service ${service} ${ep.state === 'rejected' ? 'rejected' : 'did not accept'} the connection from VPC endpoint ${ep.id} (state ${ep.state}): ask the customer to accept connections from the edge principal, then retry.`,
    );
  }
  const outputs = { vpcEndpointId: ep.id };
  if (ep.state === 'pendingAcceptance') {
    return c.state === 'provisioning'
      ? {
          endpoint: mirror(ctx, row, ep),
          event: {
            name: 'await_customer_action',
            note: `VPC endpoint ${ep.id} is waiting for the customer to accept the connection on ${service}.`,
            outputs,
          },
          next: config.pollMs,
        }
      : { endpoint: mirror(ctx, row, ep), next: config.pollMs };
  }
  if (ep.state === 'partial') return waitWhilePartial(ctx, row, ep);
  if (ep.state !== 'available' || !ep.dnsName) return { endpoint: mirror(ctx, row, ep), next: config.pollMs };
  return {
    endpoint: mirror(ctx, row, ep),
    event: { name: 'activate', note: `VPC endpoint ${ep.id} is available.`, outputs: { ...outputs, host: ep.dnsName } },
    next: config.activeRecheckMs,
  };
}

/** vendor_service_dns (Snowflake): endpoint to the service the inputs name → CNAMEs for their host names → active. */
export async function vendorServiceDnsStep(ctx: StepContext): Promise<Outcome> {
  const { c, config } = ctx;
  const flow = flowOf(ctx);
  const service = serviceOf(ctx, flow);
  if (!service)
    return failOutcome(
      flow.edge.missingService ?? `The case has no ${flow.name} endpoint service: the customer must give it before provisioning.`,
    );
  const got = await ensureInterfaceEndpoint(ctx, service, HTTPS);
  if ('outcome' in got) return got.outcome;
  const { ep, row } = got;
  if (isDead(ep)) {
    return retireDeadEndpoint(
      ctx,
      row,
      ep,
      `${flow.name} did not accept VPC endpoint ${ep.id} (state ${ep.state}): ${flow.edge.refusedFix ?? 'ask the customer to check their side'}, then retry.`,
    );
  }
  if (ep.state === 'partial') return waitWhilePartial(ctx, row, ep);
  if (ep.state !== 'available' || !ep.dnsName) return { endpoint: mirror(ctx, row, ep), next: config.pollMs };
  const dns = await ensureDnsRecords(ctx, flow.edge.hosts?.(c.inputs) ?? [], ep.dnsName);
  if (dns) return { ...dns, endpoint: mirror(ctx, row, ep) };
  const synced = await waitForDns(ctx, row, ep);
  if ('wait' in synced) return synced.wait;
  return {
    endpoint: mirror(ctx, row, ep),
    dnsInSync: synced.inSync,
    event: {
      name: 'activate',
      note: `VPC endpoint ${ep.id} is available and the ${flow.name} host names point at it.`,
      outputs: { ...flow.edge.activeOutputs?.(c.inputs), vpcEndpointId: ep.id, vpcEndpointDnsName: ep.dnsName },
    },
    next: config.activeRecheckMs,
  };
}
