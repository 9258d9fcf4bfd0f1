/**
 * The customer's own consoles, simulated for the sandbox (docs/design.md#the-customers-side-of-the-sandbox): what a
 * person does in their AWS account (an NLB endpoint service, its allowed principals and AZs, accepting connections, a
 * Redshift cluster and its grant), what Snowflake support does for them, and registering an endpoint in Databricks.
 * Each act takes the workspace id and changes only what that workspace's simulated account owns; each stores exactly
 * what the real console would, and nothing else happens on the customer's side — no timer, no checkbox.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { jsonList, keyed } from '@/db/queries/json-list';
import type { Db, Tx } from '@/db/index';
import { sandboxEndpointServices, sandboxRedshiftAuthorizations, sandboxRedshiftClusters, sandboxVpcEndpoints } from '@/db/schema';
import { AppError, notFoundError, validationError } from '@/lib/errors';
import { DEFAULT_FLOW_CONFIG, type FlowConfig } from '@/lib/providers/config';
import type { Warehouse } from '@/lib/domain/warehouses';
import { getFlow } from '@/lib/providers';
import type { EdgeKind } from '@/lib/providers/types';
import { parseEndpointServiceName } from '@/lib/validation/aws';
import { type EdgeLayout, SANDBOX_EDGE_LAYOUT } from './layout';
import { workspacePrincipal } from './naming';
import { defaultServiceAzIds, hashHex, regionAzIds } from './sandbox-shapes';
import { azPrefix, isDatabricksService, type SandboxService } from './sandbox-world';

type Conn = Db | Tx;

/** Where the acts happen: the sandbox's own layout and flows unless a test gives others. */
export interface CustomerWorld {
  layout?: EdgeLayout;
  flows?: FlowConfig;
  now?: Date;
}

const conflict = (message: string) => new AppError('conflict', message);

/**
 * The workspace's simulated AWS account ID: 12 digits derived from the workspace id (SHA-256 of
 * `plp-sandbox-customer/<workspace id>`, read as a number, 100000000000–999999999999), so the same workspace always has
 * the same account and two workspaces practically never share one. Never the edge account's.
 */
export function sandboxCustomerAccountId(workspaceId: string, layout: EdgeLayout = SANDBOX_EDGE_LAYOUT): string {
  for (let salt = 0; ; salt++) {
    const n = BigInt(`0x${hashHex(`plp-sandbox-customer/${workspaceId.toLowerCase()}${salt ? `/${salt}` : ''}`, 16)}`);
    const id = String(100_000_000_000n + (n % 900_000_000_000n));
    if (id !== layout.accountId) return id;
  }
}

function regionOf(layout: EdgeLayout, region: string): string {
  if (!layout.regions[region])
    throw validationError(`The sandbox has no region ${region}: use one of ${Object.keys(layout.regions).join(', ')}.`);
  return region;
}

function checkAzIds(layout: EdgeLayout, region: string, azIds: readonly string[]): string[] {
  const all = regionAzIds(region, azPrefix(layout, region));
  const unique = [...new Set(azIds)];
  const bad = unique.filter((a) => !all.includes(a));
  if (unique.length === 0) throw validationError('Choose at least one Availability Zone for the load balancer.');
  if (bad.length) throw validationError(`${bad.join(', ')} is not an AZ ID of ${region}: use ${all.join(', ')}.`);
  return all.filter((a) => unique.includes(a));
}

/** A service that this workspace's simulated account owns, or a refusal that says so (and nothing about others'). */
async function ownService(db: Conn, workspaceId: string, serviceName: string): Promise<SandboxService> {
  const name = serviceName.trim().toLowerCase();
  const [row] = await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, name));
  if (!row || row.removed || row.workspaceId !== workspaceId)
    throw notFoundError(`Your sandbox AWS account has no endpoint service ${name}: create it first, or check the name.`);
  return row;
}

/** "Create endpoint service" on a Network Load Balancer. Returns the generated, AWS-shaped service name. */
export async function createNlbService(
  db: Conn,
  input: { workspaceId: string; region: string; azIds?: string[]; acceptanceRequired: boolean; serviceName?: string },
  world: CustomerWorld = {},
): Promise<SandboxService> {
  const layout = world.layout ?? SANDBOX_EDGE_LAYOUT;
  const region = regionOf(layout, input.region);
  // A fixed name only for tests whose case inputs already name one; the console always generates it.
  const serviceName = input.serviceName ?? `com.amazonaws.vpce.${region}.vpce-svc-0${randomBytes(8).toString('hex')}`;
  const parsed = parseEndpointServiceName(serviceName);
  if (!parsed || parsed.region !== region) throw validationError(`"${serviceName}" is not an endpoint service name in ${region}.`);
  const azIds = input.azIds
    ? checkAzIds(layout, region, input.azIds)
    : defaultServiceAzIds(parsed.name, region, azPrefix(layout, region), false);
  const [row] = await db
    .insert(sandboxEndpointServices)
    .values({
      serviceName: parsed.name,
      region,
      azIds,
      acceptanceRequired: input.acceptanceRequired,
      allowedPrincipals: [],
      workspaceId: input.workspaceId,
      ...(world.now ? { createdAt: world.now } : {}),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`An endpoint service named ${parsed.name} already exists.`);
  return row;
}

// Principals ModifyVpcEndpointServicePermissions accepts: everyone, an account, or an IAM role or user without a path
// (docs/facts.md#allowed-principals).
const PRINCIPAL = /^(\*|arn:aws:iam::\d{12}:root|arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@-]{1,64})$/;

function checkPrincipal(arn: string): string {
  const p = arn.trim();
  if (!PRINCIPAL.test(p))
    throw validationError(
      `"${p}" is not a principal an endpoint service can allow: use *, arn:aws:iam::<account>:root, or an IAM role or user ARN without a path.`,
      { principalArn: ['Use *, an account root ARN, or a role or user ARN without a path.'] },
    );
  return p;
}

/** "Allow principals" on the service (ModifyVpcEndpointServicePermissions --add-allowed-principals). */
export async function allowPrincipal(
  db: Conn,
  input: { workspaceId: string; serviceName: string; principalArn: string },
): Promise<SandboxService> {
  const principal = checkPrincipal(input.principalArn);
  const row = await ownService(db, input.workspaceId, input.serviceName);
  if (row.allowedPrincipals.includes(principal)) return row;
  const [updated] = await db
    .update(sandboxEndpointServices)
    .set({ allowedPrincipals: [...row.allowedPrincipals, principal] })
    .where(eq(sandboxEndpointServices.serviceName, row.serviceName))
    .returning();
  return updated!;
}

/** "Remove principals" (--remove-allowed-principals). */
export async function removePrincipal(
  db: Conn,
  input: { workspaceId: string; serviceName: string; principalArn: string },
): Promise<SandboxService> {
  const row = await ownService(db, input.workspaceId, input.serviceName);
  const principal = input.principalArn.trim();
  if (!row.allowedPrincipals.includes(principal)) throw notFoundError(`${principal} is not an allowed principal of ${row.serviceName}.`);
  const [updated] = await db
    .update(sandboxEndpointServices)
    .set({ allowedPrincipals: row.allowedPrincipals.filter((p) => p !== principal) })
    .where(eq(sandboxEndpointServices.serviceName, row.serviceName))
    .returning();
  return updated!;
}

/** The customer moves their load balancer to other zones: the service then offers those AZ IDs. */
export async function setServiceAzs(
  db: Conn,
  input: { workspaceId: string; serviceName: string; azIds: string[] },
  world: CustomerWorld = {},
): Promise<SandboxService> {
  const row = await ownService(db, input.workspaceId, input.serviceName);
  const azIds = checkAzIds(world.layout ?? SANDBOX_EDGE_LAYOUT, row.region, input.azIds);
  const [updated] = await db
    .update(sandboxEndpointServices)
    .set({ azIds })
    .where(eq(sandboxEndpointServices.serviceName, row.serviceName))
    .returning();
  return updated!;
}

/** "Accept" or "Reject" an endpoint connection waiting on one of this workspace's services. */
export async function answerConnection(
  db: Conn,
  input: { workspaceId: string; vpcEndpointId: string; answer: 'accept' | 'reject' },
  world: CustomerWorld = {},
): Promise<void> {
  const [ep] = await db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.id, input.vpcEndpointId));
  const [service] = ep
    ? await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, ep.serviceName))
    : [];
  if (!ep || service?.workspaceId !== input.workspaceId)
    throw notFoundError(`No endpoint connection ${input.vpcEndpointId} is waiting on your endpoint services.`);
  if (ep.state !== 'pendingAcceptance')
    throw conflict(`Endpoint connection ${ep.id} is ${ep.state}: only a connection that is pendingAcceptance can be answered.`);
  const rows = await db
    .update(sandboxVpcEndpoints)
    .set({ state: input.answer === 'accept' ? 'pending' : 'rejected', stateSince: world.now ?? new Date() })
    .where(and(eq(sandboxVpcEndpoints.id, ep.id), eq(sandboxVpcEndpoints.state, 'pendingAcceptance')))
    .returning({ id: sandboxVpcEndpoints.id });
  if (rows.length !== 1) throw conflict(`Endpoint connection ${ep.id} was answered meanwhile.`);
}

// Cluster identifiers: 1–63 lowercase letters, digits and hyphens, a letter first, no `--`, no trailing `-`
// (docs/facts.md#redshift-managed-vpc-endpoints).
const CLUSTER_ID = /^[a-z](?:[a-z0-9]|-(?!-)){0,62}$/;

/** "Create cluster" in the customer's account (`account`: the account that owns it, as the case will name it). */
export async function createRedshiftCluster(
  db: Conn,
  input: {
    workspaceId: string;
    region: string;
    account: string;
    clusterIdentifier: string;
    nodeType: string;
    relocationEnabled: boolean;
    port: number;
  },
  world: CustomerWorld = {},
) {
  const region = regionOf(world.layout ?? SANDBOX_EDGE_LAYOUT, input.region);
  const id = input.clusterIdentifier.trim().toLowerCase();
  if (!CLUSTER_ID.test(id) || id.endsWith('-'))
    throw validationError(
      `"${input.clusterIdentifier}" is not a cluster identifier: 1–63 lowercase letters, digits and hyphens, starting with a letter.`,
      {
        clusterIdentifier: ['1–63 lowercase letters, digits and hyphens, starting with a letter.'],
      },
    );
  if (!/^\d{12}$/.test(input.account)) throw validationError('The AWS account ID is 12 digits.');
  if (!Number.isInteger(input.port) || input.port < 1150 || input.port > 65535)
    throw validationError('The cluster port is a whole number from 1150 to 65535.', { port: ['Use a port from 1150 to 65535.'] });
  const [row] = await db
    .insert(sandboxRedshiftClusters)
    .values({
      region,
      account: input.account,
      clusterIdentifier: id,
      workspaceId: input.workspaceId,
      nodeType: input.nodeType.trim().toLowerCase(),
      relocationEnabled: input.relocationEnabled,
      port: input.port,
      ...(world.now ? { createdAt: world.now } : {}),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A cluster named ${id} already exists in account ${input.account} in ${region}.`);
  return row;
}

/**
 * `aws redshift authorize-endpoint-access` for the edge account: to all its VPCs, or to the ones listed. Only on a
 * cluster this workspace created; authorizing again replaces the grant (and revives a revoked one).
 */
export async function authorizeRedshift(
  db: Conn,
  input: { workspaceId: string; region: string; account: string; clusterIdentifier: string } & (
    | { allVpcs: true }
    | { allVpcs?: false; vpcIds: string[] }
  ),
  world: CustomerWorld = {},
) {
  const layout = world.layout ?? SANDBOX_EDGE_LAYOUT;
  const id = input.clusterIdentifier.trim().toLowerCase();
  const [cluster] = await db
    .select()
    .from(sandboxRedshiftClusters)
    .where(
      and(
        eq(sandboxRedshiftClusters.region, input.region),
        eq(sandboxRedshiftClusters.account, input.account),
        eq(sandboxRedshiftClusters.clusterIdentifier, id),
      ),
    );
  if (!cluster || cluster.workspaceId !== input.workspaceId)
    throw notFoundError(`Your sandbox AWS account ${input.account} has no cluster ${id} in ${input.region}: create it first.`);
  const vpcIds = input.allVpcs ? [] : [...new Set(input.vpcIds.map((v) => v.trim()))];
  if (!input.allVpcs && (vpcIds.length === 0 || vpcIds.some((v) => !/^vpc-[0-9a-f]{8,17}$/.test(v))))
    throw validationError('Name the VPC IDs to allow (vpc-…), or allow all VPCs.');
  const now = world.now ?? new Date();
  const values = {
    grantee: layout.accountId,
    status: 'Authorized',
    vpcIds,
    allowedAllVpcs: input.allVpcs === true,
    clusterPort: cluster.port,
    updatedAt: now,
  };
  const [row] = await db
    .insert(sandboxRedshiftAuthorizations)
    .values({ region: input.region, grantor: input.account, clusterIdentifier: id, ...values })
    .onConflictDoUpdate({
      target: [
        sandboxRedshiftAuthorizations.region,
        sandboxRedshiftAuthorizations.grantor,
        sandboxRedshiftAuthorizations.clusterIdentifier,
      ],
      set: values,
    })
    .returning();
  return row!;
}

/**
 * Snowflake support authorizes the edge account on the customer's Snowflake PrivateLink service (the support case of
 * docs/program-rules.md#snowflake): `arn:aws:iam::<edge account>:root` joins the allowed principals of the service
 * named by `privatelink-vpce-id`, which spans the region and accepts authorized accounts without asking. The service is
 * Snowflake's (no workspace owns it); it is created here the first time it is needed.
 */
export async function snowflakeSupportAuthorize(
  db: Conn,
  input: { workspaceId: string; region: string; privatelinkVpceId: string },
  world: CustomerWorld = {},
): Promise<SandboxService> {
  const layout = world.layout ?? SANDBOX_EDGE_LAYOUT;
  const flows = world.flows ?? DEFAULT_FLOW_CONFIG;
  const region = regionOf(layout, input.region);
  const parsed = parseEndpointServiceName(input.privatelinkVpceId);
  if (!parsed || parsed.region !== region)
    throw validationError(
      `"${input.privatelinkVpceId}" is not a privatelink-vpce-id in ${region} (com.amazonaws.vpce.${region}.vpce-svc-…).`,
      {
        privatelinkVpceId: [`Paste the privatelink-vpce-id of your Snowflake account in ${region}.`],
      },
    );
  const root = `arn:aws:iam::${layout.accountId}:root`;
  if (isDatabricksService(flows, region, parsed.name)) throw validationError(`${parsed.name} is Databricks' service, not Snowflake's.`);
  await db
    .insert(sandboxEndpointServices)
    .values({
      serviceName: parsed.name,
      region,
      azIds: regionAzIds(region, azPrefix(layout, region)),
      acceptanceRequired: false,
      allowedPrincipals: [],
      workspaceId: null,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(sandboxEndpointServices).where(eq(sandboxEndpointServices.serviceName, parsed.name));
  if (!row || row.workspaceId !== null || row.removed)
    throw conflict(`${parsed.name} is not a Snowflake PrivateLink service: check the privatelink-vpce-id.`);
  if (row.allowedPrincipals.includes(root)) return row;
  const [updated] = await db
    .update(sandboxEndpointServices)
    .set({ allowedPrincipals: [...row.allowedPrincipals, root] })
    .where(eq(sandboxEndpointServices.serviceName, parsed.name))
    .returning();
  return updated!;
}

/**
 * The customer registers a VPC endpoint in their Databricks account (use case "Workspace access"): Databricks then
 * accepts it (docs/facts.md#databricks). Only an endpoint the edge created as this workspace's role, to a Databricks
 * workspace service.
 */
export async function registerDatabricksEndpoint(
  db: Conn,
  input: { workspaceId: string; vpcEndpointId: string },
  world: CustomerWorld = {},
): Promise<{ state: string }> {
  const layout = world.layout ?? SANDBOX_EDGE_LAYOUT;
  const flows = world.flows ?? DEFAULT_FLOW_CONFIG;
  const id = input.vpcEndpointId.trim().toLowerCase();
  const [ep] = await db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.id, id));
  const ours = ep && ep.requesterArn === workspacePrincipal(layout.accountId, input.workspaceId).arn;
  if (!ep || !ours || !isDatabricksService(flows, ep.region, ep.serviceName))
    throw notFoundError(`Databricks cannot find VPC endpoint ${id} for your workspace: copy the endpoint ID shown on the case.`);
  if (ep.state === 'pendingAcceptance') {
    await db
      .update(sandboxVpcEndpoints)
      .set({ state: 'pending', stateSince: world.now ?? new Date() })
      .where(and(eq(sandboxVpcEndpoints.id, id), eq(sandboxVpcEndpoints.state, 'pendingAcceptance')));
    return { state: 'pending' };
  }
  if (ep.state === 'pending' || ep.state === 'available') return { state: ep.state };
  throw conflict(`VPC endpoint ${id} is ${ep.state}: Databricks cannot accept it any more.`);
}

/** What the case page's simulated console shows (app/(portal)/cases/[id]/_components/sandbox-account.tsx). */
export interface SandboxConsoleView {
  caseId: string;
  warehouse: Warehouse;
  /** How the edge reaches the warehouse: picks the acts the console offers (docs/design.md#flows-and-the-registry). */
  edgeKind: EdgeKind;
  /** The warehouse's name, for the vendor's console ("your Databricks account"). */
  warehouseName: string;
  region: string;
  /** The workspace's simulated AWS account ID. */
  accountId: string;
  /** The edge's values once the CSM accepted the case (the principal to allow, the account to authorize). */
  edge?: { accountId: string; vpcId: string; principalArn: string };
  regionAzIds: string[];
  services: {
    serviceName: string;
    azIds: string[];
    acceptanceRequired: boolean;
    allowedPrincipals: string[];
    connections: { id: string; state: string; requesterArn: string | null }[];
  }[];
  clusters: {
    clusterIdentifier: string;
    account: string;
    nodeType: string;
    relocationEnabled: boolean;
    port: number;
    grant: { allowedAllVpcs: boolean; vpcIds: string[] } | null;
  }[];
  /** What the case already says, to prefill the acts. */
  prefill: { clusterIdentifier?: string; nodeType?: string; port?: number; privatelinkVpceId?: string; vpcEndpointId?: string };
  snowflakeAuthorized: boolean;
  /** The state of the case's Databricks endpoint in the edge account, null before it exists. */
  databricksEndpointState: string | null;
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The simulated console of the case's workspace: its services with their connections, its clusters and grants. */
export async function sandboxAccountData(
  db: Conn,
  c: {
    id: string;
    workspaceId: string;
    warehouse: Warehouse;
    region: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  },
  edge: SandboxConsoleView['edge'],
  layout: EdgeLayout = SANDBOX_EDGE_LAYOUT,
): Promise<SandboxConsoleView> {
  const config = (c.inputs.privatelinkConfig ?? {}) as Record<string, unknown>;
  const privatelinkVpceId = str(config['privatelink-vpce-id']);
  const flow = getFlow(c.warehouse);
  const vpcEndpointId = flow.edge.kind === 'registered_endpoint_dns' ? str(c.outputs.vpcEndpointId) : undefined;
  // Everything the panel shows in one statement: each list a JSON array (db/queries/json-list.ts).
  const ownServices = and(
    eq(sandboxEndpointServices.workspaceId, c.workspaceId),
    eq(sandboxEndpointServices.region, c.region),
    eq(sandboxEndpointServices.removed, false),
  );
  const ownClusters = and(eq(sandboxRedshiftClusters.workspaceId, c.workspaceId), eq(sandboxRedshiftClusters.region, c.region));
  const [found] = await db
    .select({
      services: jsonList<PanelService>(db.select(keyed(SERVICE)).from(sandboxEndpointServices).where(ownServices), SERVICE, 'createdAt'),
      connections: jsonList<PanelConnection>(
        db
          .select(keyed(CONNECTION))
          .from(sandboxVpcEndpoints)
          .where(
            inArray(
              sandboxVpcEndpoints.serviceName,
              db.select({ name: sandboxEndpointServices.serviceName }).from(sandboxEndpointServices).where(ownServices),
            ),
          ),
        CONNECTION,
        'createdAt',
      ),
      clusters: jsonList<PanelCluster>(db.select(keyed(CLUSTER)).from(sandboxRedshiftClusters).where(ownClusters), CLUSTER, 'createdAt'),
      grants: jsonList<PanelGrant>(
        db
          .select(keyed(GRANT))
          .from(sandboxRedshiftAuthorizations)
          .where(
            and(
              eq(sandboxRedshiftAuthorizations.region, c.region),
              inArray(
                sandboxRedshiftAuthorizations.clusterIdentifier,
                db.select({ id: sandboxRedshiftClusters.clusterIdentifier }).from(sandboxRedshiftClusters).where(ownClusters),
              ),
            ),
          ),
        GRANT,
        'clusterIdentifier',
      ),
      // Snowflake's own service for the vpce ID the customer pasted, and the endpoint a Databricks case made.
      snowflake: jsonList<Pick<SandboxService, 'workspaceId' | 'allowedPrincipals'>>(
        db
          .select(keyed(SNOWFLAKE))
          .from(sandboxEndpointServices)
          .where(eq(sandboxEndpointServices.serviceName, (privatelinkVpceId ?? '').toLowerCase())),
        SNOWFLAKE,
        'workspaceId',
      ),
      databricks: jsonList<{ requesterArn: string | null; state: string }>(
        db
          .select(keyed(DATABRICKS))
          .from(sandboxVpcEndpoints)
          .where(eq(sandboxVpcEndpoints.id, vpcEndpointId ?? '')),
        DATABRICKS,
        'state',
      ),
    })
    .from(sql`(select 1) as panel`);
  const { services, connections, clusters, grants } = found!;
  const snowflake = privatelinkVpceId ? found!.snowflake[0] : undefined;
  const databricks = vpcEndpointId ? found!.databricks[0] : undefined;
  const port = Number(c.inputs.port);
  return {
    caseId: c.id,
    warehouse: c.warehouse,
    edgeKind: flow.edge.kind,
    warehouseName: flow.name,
    region: c.region,
    accountId: sandboxCustomerAccountId(c.workspaceId, layout),
    ...(edge ? { edge } : {}),
    regionAzIds: regionAzIds(c.region, azPrefix(layout, c.region)),
    services: services.map((s) => ({
      serviceName: s.serviceName,
      azIds: s.azIds,
      acceptanceRequired: s.acceptanceRequired,
      allowedPrincipals: s.allowedPrincipals,
      connections: connections
        .filter((x) => x.serviceName === s.serviceName)
        .map((x) => ({ id: x.id, state: x.state, requesterArn: x.requesterArn })),
    })),
    clusters: clusters.map((cl) => {
      const g = grants.find(
        (x) =>
          x.grantor === cl.account &&
          x.clusterIdentifier === cl.clusterIdentifier &&
          x.grantee === layout.accountId &&
          x.status !== 'Revoked',
      );
      return {
        clusterIdentifier: cl.clusterIdentifier,
        account: cl.account,
        nodeType: cl.nodeType,
        relocationEnabled: cl.relocationEnabled,
        port: cl.port,
        grant: g ? { allowedAllVpcs: g.allowedAllVpcs, vpcIds: g.vpcIds } : null,
      };
    }),
    prefill: {
      ...(str(c.inputs.clusterIdentifier) ? { clusterIdentifier: str(c.inputs.clusterIdentifier) } : {}),
      ...(str(c.inputs.nodeType) ? { nodeType: str(c.inputs.nodeType) } : {}),
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      ...(privatelinkVpceId ? { privatelinkVpceId } : {}),
      ...(vpcEndpointId ? { vpcEndpointId } : {}),
    },
    // Whether Snowflake support already authorized the edge account on a Snowflake service.
    snowflakeAuthorized: Boolean(
      snowflake && snowflake.workspaceId === null && snowflake.allowedPrincipals.includes(`arn:aws:iam::${layout.accountId}:root`),
    ),
    // The state of the VPC endpoint the edge made as this workspace's role, or null.
    databricksEndpointState:
      databricks && databricks.requesterArn === workspacePrincipal(layout.accountId, c.workspaceId).arn ? databricks.state : null,
  };
}

// What the panel reads of each table (sandboxAccountData).
const SERVICE = {
  serviceName: sandboxEndpointServices.serviceName,
  azIds: sandboxEndpointServices.azIds,
  acceptanceRequired: sandboxEndpointServices.acceptanceRequired,
  allowedPrincipals: sandboxEndpointServices.allowedPrincipals,
  createdAt: sandboxEndpointServices.createdAt,
};
const CONNECTION = {
  id: sandboxVpcEndpoints.id,
  serviceName: sandboxVpcEndpoints.serviceName,
  state: sandboxVpcEndpoints.state,
  requesterArn: sandboxVpcEndpoints.requesterArn,
  createdAt: sandboxVpcEndpoints.createdAt,
};
const CLUSTER = {
  clusterIdentifier: sandboxRedshiftClusters.clusterIdentifier,
  account: sandboxRedshiftClusters.account,
  nodeType: sandboxRedshiftClusters.nodeType,
  relocationEnabled: sandboxRedshiftClusters.relocationEnabled,
  port: sandboxRedshiftClusters.port,
  createdAt: sandboxRedshiftClusters.createdAt,
};
const GRANT = {
  grantor: sandboxRedshiftAuthorizations.grantor,
  clusterIdentifier: sandboxRedshiftAuthorizations.clusterIdentifier,
  grantee: sandboxRedshiftAuthorizations.grantee,
  status: sandboxRedshiftAuthorizations.status,
  allowedAllVpcs: sandboxRedshiftAuthorizations.allowedAllVpcs,
  vpcIds: sandboxRedshiftAuthorizations.vpcIds,
};
const SNOWFLAKE = { workspaceId: sandboxEndpointServices.workspaceId, allowedPrincipals: sandboxEndpointServices.allowedPrincipals };
const DATABRICKS = { requesterArn: sandboxVpcEndpoints.requesterArn, state: sandboxVpcEndpoints.state };
type Row<T extends Record<string, { _: { data: unknown; notNull: boolean } }>> = {
  [K in keyof T]: T[K]['_']['notNull'] extends true ? T[K]['_']['data'] : T[K]['_']['data'] | null;
};
type PanelService = Row<typeof SERVICE>;
type PanelConnection = Row<typeof CONNECTION>;
type PanelCluster = Row<typeof CLUSTER>;
type PanelGrant = Row<typeof GRANT>;
