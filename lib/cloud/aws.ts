import 'server-only';
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeVpcEndpointServicesCommand,
  type EC2Client,
  ModifyVpcEndpointCommand,
  paginateDescribeVpcEndpoints,
  type VpcEndpoint as Ec2VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { AwsClients, type AwsClientOptions, awsClientOptions } from './aws-clients';
import { type EnsuredRole, ensureWorkspaceRole, WorkspaceSessions, workspaceCallError } from './aws-iam';
import { PAGINATION, pagesOf } from './aws-pages';
import { awsDnsRecords, awsMetrics, awsRedshift } from './aws-services';
import { callAws, EdgeError, type ErrorContext, isAwsNotFound, mapAwsError } from './errors';
import type { EdgeLayout, EdgeRegion } from './layout';
import { subnetsForAzIds } from './naming';
import {
  CASE_TAG,
  type CreateRedshiftEndpointRequest,
  type CreateVpcEndpointRequest,
  type DnsRecord,
  type EdgeAdapter,
  type EdgeOperation,
  type EndpointService,
  type MetricsTarget,
  VPC_ENDPOINT_STATES,
  type VpcEndpoint,
  type VpcEndpointState,
  type WorkspacePrincipal,
} from './types';

function toVpcEndpoint(e: Ec2VpcEndpoint): VpcEndpoint {
  const state = String(e.State ?? 'pending');
  return {
    id: e.VpcEndpointId ?? '',
    serviceName: e.ServiceName ?? '',
    vpcId: e.VpcId ?? '',
    // AWS spells some states with a capital (Available, Pending, Partial): compare case-insensitively. A state the
    // list does not know yet is read as pending, never as available (docs/facts.md#the-partial-state).
    state: (VPC_ENDPOINT_STATES.find((s) => s.toLowerCase() === state.toLowerCase()) ?? 'pending') as VpcEndpointState,
    // The first DnsEntries item is the regional name (docs/facts.md#ec2-interface-vpc-endpoints).
    dnsName: e.DnsEntries?.[0]?.DnsName?.toLowerCase() ?? null,
    subnetIds: e.SubnetIds ?? [],
    tags: Object.fromEntries((e.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

/** The `aws` edge adapter: the edge account through AWS SDK v3, its layout from EDGE_CONFIG. */
export class AwsEdge implements EdgeAdapter {
  readonly kind = 'aws' as const;
  private readonly clients: AwsClients;
  private readonly dns: ReturnType<typeof awsDnsRecords>;
  private readonly redshift: ReturnType<typeof awsRedshift>;
  private readonly metrics: ReturnType<typeof awsMetrics>;
  private readonly sessions: WorkspaceSessions;
  /** Workspace roles ensured by this instance, by workspace id; a failed ensure is forgotten, so it is tried again. */
  private readonly roles = new Map<string, Promise<EnsuredRole>>();
  /** When each ensured role was created, by ARN: a refusal soon after is IAM propagating, not a real refusal. */
  private readonly roleCreated = new Map<string, Date>();

  /** `now` is the clock of the session cache and of the propagation window (tests move it). */
  constructor(
    private readonly layout: EdgeLayout,
    options: AwsClientOptions = awsClientOptions(),
    private readonly now: () => number = Date.now,
  ) {
    this.clients = new AwsClients(options);
    this.sessions = new WorkspaceSessions((region) => this.clients.sts(region), now);
    this.dns = awsDnsRecords(() => this.clients.route53());
    this.redshift = awsRedshift(
      (region) => this.clients.redshift(region),
      (region) => this.region(region, 'createRedshiftEndpoint'),
    );
    this.metrics = awsMetrics((region) => this.clients.cloudwatch(region));
  }

  private region(region: string, operation: EdgeOperation): EdgeRegion {
    const r = this.layout.regions[region];
    if (!r) {
      throw new EdgeError(
        'invalid_request',
        `The edge layout (EDGE_CONFIG) has no VPC in ${region}: an engineer must add regions.${region} to it, then retry.`,
        operation,
      );
    }
    return r;
  }

  /**
   * The workspace's role in the edge account, created (trusting the portal, tagged) on first need, its inline policy
   * rewritten from the layout once per instance (docs/design.md#a-principal-per-workspace).
   */
  ensureWorkspacePrincipal(workspaceId: string): Promise<WorkspacePrincipal> {
    const key = workspaceId.toLowerCase();
    let ensured = this.roles.get(key);
    if (!ensured) {
      ensured = ensureWorkspaceRole(this.clients.iam(), this.layout, workspaceId).then(
        (role) => {
          this.roleCreated.set(role.principal.arn, role.createdAt);
          return role;
        },
        (err) => {
          this.roles.delete(key);
          throw err;
        },
      );
      this.roles.set(key, ensured);
    }
    return ensured.then((role) => role.principal);
  }

  /**
   * Run an EC2 call as the workspace's role. The session is fetched first, so that an STS refusal is reported as one
   * (with the words for a role IAM has not propagated yet) before EC2 is asked; the client then signs with the same
   * cached session.
   */
  private async asWorkspace<T>(ctx: ErrorContext & { region: string }, as: WorkspacePrincipal, call: (ec2: EC2Client) => Promise<T>) {
    const detail = () => ({ createdAt: this.roleCreated.get(as.arn), now: this.now(), portalPrincipalArn: this.layout.portalPrincipalArn });
    const credentials = () => this.sessions.credentials(as, ctx.region);
    try {
      await credentials();
    } catch (err) {
      throw workspaceCallError(err, ctx, as, { ...detail(), assuming: true });
    }
    const ec2 = this.clients.workspaceEc2(ctx.region, as, credentials);
    try {
      return await call(ec2);
    } catch (err) {
      throw workspaceCallError(err, ctx, as, { ...detail(), assuming: false });
    }
  }

  async describeEndpointService(region: string, serviceName: string, as: WorkspacePrincipal): Promise<EndpointService> {
    const ctx = { operation: 'describeEndpointService' as const, region, serviceName, principal: as.arn };
    // As the workspace's role: AWS answers only if the service allows that role (docs/facts.md#endpoint-services-and-availability-zones).
    // Asked by name, the service is on one page; the pages are still followed, as AWS may answer with a NextToken.
    const detail = await this.asWorkspace(ctx, as, async (ec2) => {
      const pages = pagesOf(
        (NextToken) => ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName], NextToken })),
        (page) => page.NextToken,
      );
      for await (const page of pages) {
        const found = page.ServiceDetails?.find((d) => d.ServiceName === serviceName);
        if (found) return found;
      }
      return undefined;
    });
    if (!detail)
      throw mapAwsError({ name: 'InvalidServiceName', message: `The Vpc Endpoint Service '${serviceName}' does not exist` }, ctx);
    let azIds = detail.AvailabilityZoneIds ?? [];
    if (azIds.length === 0 && detail.AvailabilityZones?.length) {
      // Older APIs and some emulators give only AZ names, which AWS maps into the caller's account: translate them
      // to IDs through the edge account's own zones (the portal's identity: the workspace roles live in the same
      // account, so the mapping is the same).
      const zones = await callAws(ctx, () =>
        this.clients.ec2(region).send(new DescribeAvailabilityZonesCommand({ ZoneNames: detail.AvailabilityZones })),
      );
      azIds = (zones.AvailabilityZones ?? []).map((z) => z.ZoneId ?? '').filter(Boolean);
    }
    return { serviceName, azIds, acceptanceRequired: detail.AcceptanceRequired ?? false };
  }

  async findVpcEndpointsByCase(region: string, caseId: string): Promise<VpcEndpoint[]> {
    const ctx: ErrorContext = { operation: 'findVpcEndpointsByCase', region, resource: `case ${caseId}` };
    const vpcId = this.region(region, 'findVpcEndpointsByCase').vpcId;
    const found = await callAws(ctx, async () => {
      const all: Ec2VpcEndpoint[] = [];
      const pages = paginateDescribeVpcEndpoints(
        { client: this.clients.ec2(region), ...PAGINATION },
        {
          Filters: [
            { Name: `tag:${CASE_TAG}`, Values: [caseId] },
            { Name: 'vpc-id', Values: [vpcId] },
          ],
        },
      );
      for await (const page of pages) all.push(...(page.VpcEndpoints ?? []));
      return all;
    });
    return found.sort((a, b) => (a.CreationTimestamp?.getTime() ?? 0) - (b.CreationTimestamp?.getTime() ?? 0)).map(toVpcEndpoint);
  }

  async describeVpcEndpoint(region: string, id: string): Promise<VpcEndpoint | null> {
    try {
      const pages = paginateDescribeVpcEndpoints({ client: this.clients.ec2(region), ...PAGINATION }, { VpcEndpointIds: [id] });
      for await (const page of pages) {
        const e = page.VpcEndpoints?.find((v) => v.VpcEndpointId === id);
        if (e) return toVpcEndpoint(e);
      }
      return null;
    } catch (err) {
      if (isAwsNotFound(err)) return null;
      throw mapAwsError(err, { operation: 'describeVpcEndpoint', region, resource: id });
    }
  }

  async createVpcEndpoint(req: CreateVpcEndpointRequest): Promise<VpcEndpoint> {
    const r = this.region(req.region, 'createVpcEndpoint');
    const subnets = subnetsForAzIds(r, req.azIds);
    const ctx: ErrorContext = { operation: 'createVpcEndpoint', region: req.region, serviceName: req.serviceName, principal: req.as.arn };
    if (subnets.length === 0) {
      throw new EdgeError(
        'az_mismatch',
        `The edge VPC ${r.vpcId} has no subnet in ${req.azIds.join(', ') || 'any requested AZ'}.`,
        'createVpcEndpoint',
      );
    }
    // As the workspace's role: AWS refuses a service that does not allow it (docs/design.md#a-principal-per-workspace).
    const out = await this.asWorkspace({ ...ctx, region: req.region }, req.as, (ec2) =>
      ec2.send(
        new CreateVpcEndpointCommand({
          VpcEndpointType: 'Interface',
          VpcId: r.vpcId,
          ServiceName: req.serviceName,
          SubnetIds: subnets.map((s) => s.subnetId),
          SecurityGroupIds: r.securityGroupIds,
          // Private DNS off: the portal writes the records it needs in its own private zones (docs/facts.md#snowflake).
          PrivateDnsEnabled: false,
          ClientToken: req.clientToken,
          TagSpecifications: [
            {
              ResourceType: 'vpc-endpoint',
              Tags: [
                { Key: CASE_TAG, Value: req.caseId },
                { Key: 'Name', Value: `privatelink-portal ${req.caseId}` },
              ],
            },
          ],
        }),
      ),
    );
    if (!out.VpcEndpoint)
      throw mapAwsError({ name: 'InternalError', message: 'CreateVpcEndpoint returned no endpoint', $fault: 'server' }, ctx);
    return toVpcEndpoint(out.VpcEndpoint);
  }

  async modifyVpcEndpointAzs(region: string, id: string, change: { addAzIds: string[]; removeAzIds: string[] }): Promise<void> {
    const r = this.region(region, 'modifyVpcEndpoint');
    const AddSubnetIds = subnetsForAzIds(r, change.addAzIds).map((s) => s.subnetId);
    const RemoveSubnetIds = subnetsForAzIds(r, change.removeAzIds).map((s) => s.subnetId);
    if (AddSubnetIds.length === 0 && RemoveSubnetIds.length === 0) return;
    await callAws({ operation: 'modifyVpcEndpoint', region, resource: id }, () =>
      this.clients.ec2(region).send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: id,
          ...(AddSubnetIds.length ? { AddSubnetIds } : {}),
          ...(RemoveSubnetIds.length ? { RemoveSubnetIds } : {}),
        }),
      ),
    );
  }

  async deleteVpcEndpoint(region: string, id: string): Promise<void> {
    const ctx: ErrorContext = { operation: 'deleteVpcEndpoint', region, resource: id };
    const out = await callAws(ctx, () => this.clients.ec2(region).send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id] })));
    // DeleteVpcEndpoints reports per-endpoint failures in the answer instead of throwing.
    const failed = out.Unsuccessful?.find((u) => u.ResourceId === id || !u.ResourceId);
    if (failed?.Error && !isAwsNotFound({ name: failed.Error.Code })) {
      throw mapAwsError({ name: failed.Error.Code, message: failed.Error.Message }, ctx);
    }
  }

  upsertDnsRecords(records: DnsRecord[]) {
    return this.dns.upsert(records);
  }

  getDnsChangeStatus(changeId: string) {
    return this.dns.changeStatus(changeId);
  }

  deleteDnsRecords(records: DnsRecord[]) {
    return this.dns.remove(records);
  }

  getDnsRecord(hostedZoneId: string, name: string, type: DnsRecord['type']) {
    return this.dns.get(hostedZoneId, name, type);
  }

  describeRedshiftAuthorization(region: string, clusterIdentifier: string, grantor: string) {
    return this.redshift.describeAuthorization(region, clusterIdentifier, grantor);
  }

  createRedshiftEndpoint(request: CreateRedshiftEndpointRequest) {
    return this.redshift.create(request);
  }

  describeRedshiftEndpoint(region: string, name: string) {
    return this.redshift.describe(region, name);
  }

  deleteRedshiftEndpoint(region: string, name: string) {
    return this.redshift.remove(region, name);
  }

  getDailyBytesProcessed(target: MetricsTarget, fromDay: string, toDay: string) {
    return this.metrics.dailyBytes(target, fromDay, toDay);
  }

  /** Close the SDK clients' sockets, the workspaces' included (tests, worker shutdown). */
  destroy() {
    this.clients.destroy();
  }
}
