'use server';

import { z } from 'zod';
import type { Tx } from '@/db/index';
import { writeAudit } from '@/lib/audit';
import { type ActionContext, action } from '@/lib/auth/guard';
import { getCase } from '@/lib/cases/service';
import { edgeProviderName } from '@/lib/cloud';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import {
  allowPrincipal,
  answerConnection,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  registerDatabricksEndpoint,
  removePrincipal,
  sandboxCustomerAccountId,
  setServiceAzs,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import { forbiddenError, notFoundError } from '@/lib/errors';
import { safeText } from '@/lib/validation/text';

// The acts of the case page's "Your AWS account (sandbox)" panel (docs/design.md#the-customers-side-of-the-sandbox):
// the customer admin plays their own AWS, Snowflake and Databricks consoles for their own workspace. Each act runs in
// one transaction with its audit row, and only while the edge is the sandbox.

const caseId = z.string().uuid('caseId must be a case id (a UUID).');
const text = (max: number) => safeText().trim().min(1, 'This field is required.').max(max, `At most ${max} characters.`);
const azIds = z.array(safeText().trim().max(20)).max(10);

interface Done {
  message: string;
  /** The service name, cluster or endpoint the act made or changed, for the panel to show or copy. */
  value?: string;
}

/**
 * The case as its own customer admin sees it (404 for another workspace's, as everywhere), the sandbox only; then
 * the act and its audit row in one transaction.
 */
async function act(
  ctx: ActionContext,
  id: string,
  audit: { action: string; targetId: (done: Done) => string | null; after?: (done: Done) => unknown },
  run: (tx: Tx, c: { workspaceId: string; region: string; id: string }) => Promise<Done>,
): Promise<Done> {
  if (edgeProviderName() !== 'sandbox') throw forbiddenError('The simulated customer console exists only with the sandbox edge account.');
  const c = await getCase(ctx.db, ctx.user, id);
  if (ctx.user.workspaceId !== c.workspaceId) throw notFoundError('No such case in your workspace.');
  return ctx.db.transaction(async (tx) => {
    const done = await run(tx, c);
    await writeAudit(tx, {
      actor: { id: ctx.user.id, email: ctx.user.email, role: ctx.user.role },
      action: audit.action,
      targetType: 'sandbox',
      targetId: audit.targetId(done),
      workspaceId: c.workspaceId,
      after: { caseId: c.id, ...(audit.after ? (audit.after(done) as object) : { value: done.value ?? null }) },
      context: { requestId: ctx.requestId, sourceIp: ctx.sourceIp },
    });
    return done;
  });
}

const permission = { permission: 'sandbox.customer_act' } as const;

export const createNlbServiceAction = action(
  z.object({ caseId, acceptanceRequired: z.boolean().default(true), azIds: azIds.optional() }),
  permission,
  (input, ctx) =>
    act(ctx, input.caseId, { action: 'sandbox.create_nlb_service', targetId: (d) => d.value ?? null }, async (tx, c) => {
      const s = await createNlbService(tx, {
        workspaceId: c.workspaceId,
        region: c.region,
        acceptanceRequired: input.acceptanceRequired,
        ...(input.azIds?.length ? { azIds: input.azIds } : {}),
      });
      return {
        message: `Endpoint service ${s.serviceName} created in ${s.azIds.join(', ')}${s.acceptanceRequired ? ', acceptance required' : ''}. It allows no principal yet.`,
        value: s.serviceName,
      };
    }),
);

const principalInput = z.object({ caseId, serviceName: text(200), principalArn: text(300) });

export const allowPrincipalAction = action(principalInput, permission, (input, ctx) =>
  act(
    ctx,
    input.caseId,
    { action: 'sandbox.allow_principal', targetId: () => input.serviceName, after: () => ({ principalArn: input.principalArn }) },
    async (tx, c) => {
      const s = await allowPrincipal(tx, { workspaceId: c.workspaceId, serviceName: input.serviceName, principalArn: input.principalArn });
      return { message: `${input.principalArn} is now an allowed principal of ${s.serviceName}.`, value: s.serviceName };
    },
  ),
);

export const removePrincipalAction = action(principalInput, permission, (input, ctx) =>
  act(
    ctx,
    input.caseId,
    { action: 'sandbox.remove_principal', targetId: () => input.serviceName, after: () => ({ principalArn: input.principalArn }) },
    async (tx, c) => {
      const s = await removePrincipal(tx, { workspaceId: c.workspaceId, serviceName: input.serviceName, principalArn: input.principalArn });
      return { message: `${input.principalArn} is no longer allowed on ${s.serviceName}.`, value: s.serviceName };
    },
  ),
);

export const setServiceAzsAction = action(
  z.object({ caseId, serviceName: text(200), azIds: azIds.min(1, 'Choose at least one Availability Zone.') }),
  permission,
  (input, ctx) =>
    act(
      ctx,
      input.caseId,
      { action: 'sandbox.set_service_azs', targetId: () => input.serviceName, after: () => ({ azIds: input.azIds }) },
      async (tx, c) => {
        const s = await setServiceAzs(tx, { workspaceId: c.workspaceId, serviceName: input.serviceName, azIds: input.azIds });
        return { message: `The load balancer behind ${s.serviceName} is now in ${s.azIds.join(', ')}.`, value: s.serviceName };
      },
    ),
);

export const answerConnectionAction = action(
  z.object({ caseId, vpcEndpointId: text(40), answer: z.enum(['accept', 'reject']) }),
  permission,
  (input, ctx) =>
    act(ctx, input.caseId, { action: `sandbox.${input.answer}_connection`, targetId: () => input.vpcEndpointId }, async (tx, c) => {
      await answerConnection(tx, { workspaceId: c.workspaceId, vpcEndpointId: input.vpcEndpointId, answer: input.answer });
      return {
        message: `Endpoint connection ${input.vpcEndpointId} ${input.answer === 'accept' ? 'accepted' : 'rejected'}.`,
        value: input.vpcEndpointId,
      };
    }),
);

export const createRedshiftClusterAction = action(
  z.object({
    caseId,
    clusterIdentifier: text(63),
    nodeType: text(40),
    relocationEnabled: z.boolean(),
    port: z.coerce.number().int('The port is a whole number.'),
  }),
  permission,
  (input, ctx) =>
    act(ctx, input.caseId, { action: 'sandbox.create_redshift_cluster', targetId: (d) => d.value ?? null }, async (tx, c) => {
      const account = sandboxCustomerAccountId(c.workspaceId);
      const cl = await createRedshiftCluster(tx, {
        workspaceId: c.workspaceId,
        region: c.region,
        account,
        clusterIdentifier: input.clusterIdentifier,
        nodeType: input.nodeType,
        relocationEnabled: input.relocationEnabled,
        port: input.port,
      });
      return {
        message: `Cluster ${cl.clusterIdentifier} (${cl.nodeType}, port ${cl.port}, relocation ${cl.relocationEnabled ? 'on' : 'off'}) created in account ${account}.`,
        value: cl.clusterIdentifier,
      };
    }),
);

export const authorizeRedshiftAction = action(
  z.object({ caseId, clusterIdentifier: text(63), allVpcs: z.boolean().default(false) }),
  permission,
  (input, ctx) =>
    act(ctx, input.caseId, { action: 'sandbox.authorize_redshift', targetId: () => input.clusterIdentifier }, async (tx, c) => {
      const vpcId = SANDBOX_EDGE_LAYOUT.regions[c.region]?.vpcId;
      const base = {
        workspaceId: c.workspaceId,
        region: c.region,
        account: sandboxCustomerAccountId(c.workspaceId),
        clusterIdentifier: input.clusterIdentifier,
      };
      const g = await authorizeRedshift(tx, input.allVpcs || !vpcId ? { ...base, allVpcs: true } : { ...base, vpcIds: [vpcId] });
      return {
        message: `Account ${g.grantee} may now create endpoints to cluster ${g.clusterIdentifier} ${g.allowedAllVpcs ? 'in any of its VPCs' : `in ${g.vpcIds.join(', ')}`}.`,
        value: g.clusterIdentifier,
      };
    }),
);

export const snowflakeAuthorizeAction = action(z.object({ caseId, privatelinkVpceId: text(200) }), permission, (input, ctx) =>
  act(ctx, input.caseId, { action: 'sandbox.snowflake_support_authorize', targetId: (d) => d.value ?? null }, async (tx, c) => {
    const s = await snowflakeSupportAuthorize(tx, {
      workspaceId: c.workspaceId,
      region: c.region,
      privatelinkVpceId: input.privatelinkVpceId,
    });
    return {
      message: `Snowflake support authorized AWS account ${SANDBOX_EDGE_LAYOUT.accountId} on ${s.serviceName}.`,
      value: s.serviceName,
    };
  }),
);

export const registerDatabricksEndpointAction = action(z.object({ caseId, vpcEndpointId: text(40) }), permission, (input, ctx) =>
  act(ctx, input.caseId, { action: 'sandbox.register_databricks_endpoint', targetId: () => input.vpcEndpointId }, async (tx, c) => {
    const r = await registerDatabricksEndpoint(tx, { workspaceId: c.workspaceId, vpcEndpointId: input.vpcEndpointId });
    return {
      message: `VPC endpoint ${input.vpcEndpointId} registered in your Databricks account; Databricks accepted it (${r.state}).`,
      value: input.vpcEndpointId,
    };
  }),
);
