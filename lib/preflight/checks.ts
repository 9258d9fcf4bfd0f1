/**
 * "Check from our side" (docs/design.md#preflight-checks): what the edge account can tell about the customer's part
 * before anyone provisions, asked as the workspace's own role. Each check passes, fails with the fix in words and the
 * command, or could not run (AWS did not answer): the customer's word is never taken where AWS can tell.
 */
import { EdgeError } from '@/lib/cloud/errors';
import type { EdgeLayout, EdgeRegion } from '@/lib/cloud/layout';
import { edgeAzIds, sharedAzIds } from '@/lib/cloud/naming';
import type { EdgeAdapter, EndpointService, WorkspacePrincipal } from '@/lib/cloud/types';
import type { Warehouse } from '@/lib/domain/warehouses';
import { serviceIdOf } from '@/lib/providers/commands';
import { getFlow } from '@/lib/providers';
import type { FlowConfig } from '@/lib/providers/config';
import { databricksWorkspaceService } from '@/lib/providers/databricks';
import type { InputPhase } from '@/lib/providers/types';

export const CHECK_STATUSES = ['passed', 'failed', 'could_not_run'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface PreflightCheck {
  /** Stable id, e.g. rds.service_visible. */
  id: string;
  /** What was checked, as a short sentence. */
  label: string;
  status: CheckStatus;
  /** What AWS answered, and for a failure what to fix. */
  detail: string;
  /** The command that fixes it, with the case's values filled in. */
  command?: string;
  /** The wizard step whose detail this check verifies. */
  stepId: string;
}

export interface PreflightSubject {
  warehouse: Warehouse;
  region: string;
  workspaceId: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface PreflightDeps {
  adapter: EdgeAdapter;
  layout: EdgeLayout;
  flows: FlowConfig;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : 'none');

/** A call that AWS could not answer is "could not run", never "failed": the customer has nothing to fix. */
function couldNotRun(id: string, label: string, stepId: string, err: unknown): PreflightCheck {
  const why = err instanceof EdgeError ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}`;
  return { id, label, stepId, status: 'could_not_run', detail: `${why} The check runs again on the next try.` };
}

const isHidden = (err: unknown) => err instanceof EdgeError && err.code === 'unknown_service';

type Lookup = { service: EndpointService } | { hidden: true } | { error: unknown };

async function lookUp(deps: PreflightDeps, region: string, serviceName: string, as: WorkspacePrincipal): Promise<Lookup> {
  try {
    return { service: await deps.adapter.describeEndpointService(region, serviceName, as) };
  } catch (err) {
    return isHidden(err) ? { hidden: true } : { error: err };
  }
}

/** Shape checks every interface service must pass: Interface type, IPv4, an AZ shared with the edge VPC. */
function serviceShapeChecks(prefix: string, stepId: string, s: EndpointService, edge: EdgeRegion, who: string): PreflightCheck[] {
  const shared = sharedAzIds(s.azIds, edge);
  const checks: PreflightCheck[] = [
    shared.length > 0
      ? {
          id: `${prefix}.shared_az`,
          label: 'It shares an Availability Zone with the edge VPC',
          stepId,
          status: 'passed',
          detail: `Shared AZ IDs: ${list(shared)}.`,
        }
      : {
          id: `${prefix}.shared_az`,
          label: 'It shares an Availability Zone with the edge VPC',
          stepId,
          status: 'failed',
          detail: `${who} is in ${list(s.azIds)} and the edge VPC has subnets in ${list(edgeAzIds(edge))} (AZ IDs, which compare across accounts): enable the load balancer in at least one of ${list(edgeAzIds(edge))}, then check again.`,
        },
  ];
  if (s.serviceType !== undefined) {
    checks.push({
      id: `${prefix}.interface_type`,
      label: 'It is an Interface endpoint service',
      stepId,
      status: s.serviceType === 'Interface' ? 'passed' : 'failed',
      detail:
        s.serviceType === 'Interface'
          ? 'Service type Interface.'
          : `Service type ${s.serviceType}: the edge connects with an interface endpoint, so create the endpoint service for a Network Load Balancer.`,
    });
  }
  if (s.ipAddressTypes !== undefined) {
    const v4 = s.ipAddressTypes.some((t) => t.toLowerCase() === 'ipv4');
    checks.push({
      id: `${prefix}.ipv4`,
      label: 'It supports IPv4',
      stepId,
      status: v4 ? 'passed' : 'failed',
      detail: v4
        ? `Supported IP address types: ${list(s.ipAddressTypes)}.`
        : `It supports only ${list(s.ipAddressTypes)}: the edge VPC is IPv4, so add IPv4 to the service's supported IP address types.`,
    });
  }
  return checks;
}

async function rdsChecks(s: PreflightSubject, deps: PreflightDeps, as: WorkspacePrincipal, edge: EdgeRegion): Promise<PreflightCheck[]> {
  const name = text(s.inputs.endpointServiceName);
  const stepId = 'allowed-principal';
  if (!name) return [];
  const svc = serviceIdOf(name);
  const label = 'Your endpoint service allows this workspace’s role';
  const got = await lookUp(deps, s.region, name, as);
  if ('error' in got) return [couldNotRun('rds.service_visible', label, stepId, got.error)];
  if ('hidden' in got) {
    return [
      {
        id: 'rds.service_visible',
        label,
        stepId,
        status: 'failed',
        detail: `Endpoint service ${name} is not visible to ${as.arn}: AWS shows a service only to its allowed principals. Add this role ARN as an allowed principal of the service (and check the service name), then check again.`,
        command: `aws ec2 modify-vpc-endpoint-service-permissions --region ${s.region} --service-id ${svc} --add-allowed-principals ${as.arn}`,
      },
    ];
  }
  const { service } = got;
  return [
    { id: 'rds.service_visible', label, stepId, status: 'passed', detail: `${name} is visible to ${as.arn}.` },
    ...serviceShapeChecks('rds', stepId, service, edge, `Endpoint service ${name}`),
    {
      id: 'rds.acceptance',
      label: 'Whether you will have to accept the connection',
      stepId,
      status: 'passed',
      detail: service.acceptanceRequired
        ? 'Your service requires acceptance: once an engineer approves, accept the pending connection from the edge (the case shows the command), or turn acceptance off now.'
        : 'Your service accepts connections by itself: nothing to do after approval.',
      ...(service.acceptanceRequired
        ? { command: `aws ec2 modify-vpc-endpoint-service-configuration --region ${s.region} --service-id ${svc} --no-acceptance-required` }
        : {}),
    },
  ];
}

async function redshiftChecks(s: PreflightSubject, deps: PreflightDeps, edge: EdgeRegion): Promise<PreflightCheck[]> {
  const cluster = text(s.inputs.clusterIdentifier);
  const account = text(s.inputs.awsAccountId);
  const stepId = 'cluster-access';
  if (!cluster || !account) return [];
  const authorize = `aws redshift authorize-endpoint-access --region ${s.region} --cluster-identifier ${cluster} --account ${deps.layout.accountId} --vpc-ids ${edge.vpcId}`;
  const label = 'Your cluster is authorized for the edge account';
  let grant: Awaited<ReturnType<EdgeAdapter['describeRedshiftAuthorization']>>;
  try {
    grant = await deps.adapter.describeRedshiftAuthorization(s.region, cluster, account);
  } catch (err) {
    return [couldNotRun('redshift.authorized', label, stepId, err)];
  }
  if (!grant) {
    return [
      {
        id: 'redshift.authorized',
        label,
        stepId,
        status: 'failed',
        detail: `Account ${account} has not authorized the edge account ${deps.layout.accountId} on cluster ${cluster} in ${s.region} (DescribeEndpointAuthorization finds no grant). Run the command in account ${account}, then check again.`,
        command: authorize,
      },
    ];
  }
  const checks: PreflightCheck[] = [
    grant.status === 'Authorized'
      ? {
          id: 'redshift.authorized',
          label,
          stepId,
          status: 'passed',
          detail: `Cluster ${cluster} is authorized for ${deps.layout.accountId}.`,
        }
      : {
          id: 'redshift.authorized',
          label,
          stepId,
          status: 'failed',
          detail: `The grant on cluster ${cluster} is ${grant.status}, not Authorized: authorize it again.`,
          command: authorize,
        },
  ];
  const vpcOk = grant.allowedAllVpcs || grant.allowedVpcs.includes(edge.vpcId);
  checks.push(
    vpcOk
      ? {
          id: 'redshift.edge_vpc',
          label: 'The grant allows the edge VPC',
          stepId,
          status: 'passed',
          detail: grant.allowedAllVpcs ? 'All VPCs of the edge account are allowed.' : `VPC ${edge.vpcId} is allowed.`,
        }
      : {
          id: 'redshift.edge_vpc',
          label: 'The grant allows the edge VPC',
          stepId,
          status: 'failed',
          detail: `The grant allows ${list(grant.allowedVpcs)}, not the edge VPC ${edge.vpcId}: add it to the grant.`,
          command: authorize,
        },
  );
  if (grant.clusterStatus !== undefined) {
    checks.push({
      id: 'redshift.cluster_status',
      label: 'The cluster is available',
      stepId,
      status: grant.clusterStatus === 'available' ? 'passed' : 'failed',
      detail:
        grant.clusterStatus === 'available'
          ? 'Cluster status available.'
          : `Cluster ${cluster} is ${grant.clusterStatus}: wait until it is available (or resume it), then check again.`,
    });
  }
  return checks;
}

async function snowflakeChecks(
  s: PreflightSubject,
  deps: PreflightDeps,
  as: WorkspacePrincipal,
  edge: EdgeRegion,
): Promise<PreflightCheck[]> {
  const cfg = (s.inputs.privatelinkConfig ?? {}) as Record<string, unknown>;
  const name = text(cfg['privatelink-vpce-id']);
  const stepId = 'privatelink-config';
  if (!name) return [];
  const label = 'Snowflake support has authorized the edge account';
  const account = text(cfg['privatelink-account-name']) ?? 'our Snowflake account';
  const got = await lookUp(deps, s.region, name, as);
  if ('error' in got) return [couldNotRun('snowflake.authorized', label, stepId, got.error)];
  if ('hidden' in got) {
    return [
      {
        id: 'snowflake.authorized',
        label,
        stepId,
        status: 'failed',
        detail: `Snowflake support has not authorized us yet: Snowflake's PrivateLink service ${name} is not visible from the edge account ${deps.layout.accountId}. Open a Snowflake support case with the text below; check again once Snowflake confirms.`,
        command: `Please authorize AWS PrivateLink connections to Snowflake account ${account} from the third-party vendor AWS account ${deps.layout.accountId} (region ${s.region}).`,
      },
    ];
  }
  return [
    {
      id: 'snowflake.authorized',
      label,
      stepId,
      status: 'passed',
      detail: `Snowflake's service ${name} is visible from the edge account.`,
    },
    ...serviceShapeChecks('snowflake', stepId, got.service, edge, `Snowflake's service ${name}`),
  ];
}

async function databricksChecks(s: PreflightSubject, deps: PreflightDeps, as: WorkspacePrincipal): Promise<PreflightCheck[]> {
  const service = databricksWorkspaceService(s.region, deps.flows);
  const label = `Databricks' workspace service in ${s.region} is reachable`;
  if (!service) {
    return [
      {
        id: 'databricks.service',
        label,
        stepId: 'workspace',
        status: 'could_not_run',
        detail: `No Databricks workspace service is configured for ${s.region}: your CSM has been told; nothing for you to fix.`,
      },
    ];
  }
  const got = await lookUp(deps, s.region, service, as);
  const checks: PreflightCheck[] = [
    'error' in got
      ? couldNotRun('databricks.service', label, 'workspace', got.error)
      : 'hidden' in got
        ? {
            id: 'databricks.service',
            label,
            stepId: 'workspace',
            status: 'failed',
            detail: `${service} is not visible from the edge account: an engineer must check the configured service for ${s.region}.`,
          }
        : { id: 'databricks.service', label, stepId: 'workspace', status: 'passed', detail: `${service} is visible.` },
  ];
  const vpce = text(s.outputs.vpcEndpointId);
  if (!vpce) return checks;
  const regLabel = 'You registered the edge endpoint in your Databricks account';
  try {
    const ep = await deps.adapter.describeVpcEndpoint(s.region, vpce);
    const registered = ep?.state === 'available' || ep?.state === 'pending';
    checks.push(
      registered
        ? {
            id: 'databricks.registered',
            label: regLabel,
            stepId: 'register-endpoint',
            status: 'passed',
            detail: `Databricks accepted ${vpce}.`,
          }
        : {
            id: 'databricks.registered',
            label: regLabel,
            stepId: 'register-endpoint',
            status: 'failed',
            detail: `VPC endpoint ${vpce} is ${ep?.state ?? 'gone'}: Databricks accepts it only once you register it in your Databricks account (account console → Cloud resources → Network → VPC endpoints). Register it, then check again.`,
          },
    );
  } catch (err) {
    checks.push(couldNotRun('databricks.registered', regLabel, 'register-endpoint', err));
  }
  return checks;
}

/** The phase of the wizard whose details the flow's checks verify (the checks of later phases wait); none without checks. */
export function checksPhase(warehouse: Warehouse): InputPhase | undefined {
  return getFlow(warehouse).preflight?.phase;
}

/** The wizard steps whose details the checks verify: they carry the "Check from our side" button. */
export function checkSteps(warehouse: Warehouse): readonly string[] {
  return getFlow(warehouse).preflight?.stepIds ?? [];
}

/** Run every check the case's inputs allow, as the workspace's role. Never throws for AWS's answers. */
export async function runChecks(s: PreflightSubject, deps: PreflightDeps): Promise<PreflightCheck[]> {
  const edge = deps.layout.regions[s.region];
  if (!edge) {
    return [
      {
        id: 'edge.region',
        label: `The edge account has a VPC in ${s.region}`,
        stepId: '',
        status: 'could_not_run',
        detail: `The edge layout has no VPC in ${s.region}: an engineer must add it. Nothing for you to fix.`,
      },
    ];
  }
  let as: WorkspacePrincipal;
  try {
    as = await deps.adapter.ensureWorkspacePrincipal(s.workspaceId);
  } catch (err) {
    return [couldNotRun('edge.workspace_role', 'The edge account has this workspace’s role', '', err)];
  }
  // The checks read the edge account the way the flow's edge reaches the warehouse (its preflight kind).
  switch (getFlow(s.warehouse).preflight?.checks) {
    case 'customer_service':
      return rdsChecks(s, deps, as, edge);
    case 'redshift_grant':
      return redshiftChecks(s, deps, edge);
    case 'vendor_service':
      return snowflakeChecks(s, deps, as, edge);
    case 'regional_service':
      return databricksChecks(s, deps, as);
    case undefined:
      return [];
  }
}
