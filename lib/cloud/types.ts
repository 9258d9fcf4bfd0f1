/**
 * What the edge account does, as one interface (docs/design.md#the-edge-adapter): `aws.ts` calls AWS, `sandbox.ts`
 * simulates it in the database. The reconciler codes against this and nothing else. Every method either returns what
 * AWS answered or throws an EdgeError (lib/cloud/errors.ts) saying whether trying again can help.
 */

export type EdgeProviderKind = 'aws' | 'sandbox';

// The State values of a VPC endpoint (docs/facts.md#ec2-interface-vpc-endpoints).
export const VPC_ENDPOINT_STATES = [
  'pendingAcceptance',
  'pending',
  'available',
  'deleting',
  'deleted',
  'rejected',
  'failed',
  'expired',
  // EC2 lists `Partial` among the State values without defining it: read here as "set up in only part of what was
  // asked" (not every subnet's network interface in service). Neither ready nor dead: provisioning keeps waiting and
  // never activates on it; an active endpoint in it is reported as drift (docs/facts.md#the-partial-state).
  'partial',
] as const;
export type VpcEndpointState = (typeof VPC_ENDPOINT_STATES)[number];

/** States after which an endpoint never carries traffic again: it must be replaced, not waited for. */
export const DEAD_ENDPOINT_STATES: readonly VpcEndpointState[] = ['deleted', 'rejected', 'failed', 'expired'];

/** The tag every edge resource carries, looked up before any create (idempotency across crashes). */
export const CASE_TAG = 'portal:case-id';

/**
 * The IAM role the edge account acts as for one workspace (docs/design.md#a-principal-per-workspace). Customers allow
 * this role, never the edge account, on their endpoint services, so AWS itself refuses one workspace's connection to
 * another's service.
 */
export interface WorkspacePrincipal {
  workspaceId: string;
  /** plp-ws-<workspace id>: no IAM path (service permissions refuse principal ARNs with one). */
  roleName: string;
  arn: string;
}

export interface EndpointService {
  serviceName: string;
  /**
   * AZ IDs (use1-az1…) the service offers: the only zone names that compare across accounts
   * (docs/facts.md#endpoint-services-and-availability-zones).
   */
  azIds: string[];
  acceptanceRequired: boolean;
  /** ServiceType (Interface, Gateway, GatewayLoadBalancer), when the API reports it. */
  serviceType?: string;
  /** SupportedIpAddressTypes (ipv4, ipv6), when the API reports it. */
  ipAddressTypes?: string[];
}

export interface VpcEndpoint {
  id: string;
  serviceName: string;
  vpcId: string;
  state: VpcEndpointState;
  /** The regional DNS name (the first DnsEntries item), null until AWS assigns it. */
  dnsName: string | null;
  subnetIds: string[];
  tags: Record<string, string>;
}

export interface CreateVpcEndpointRequest {
  region: string;
  caseId: string;
  /** The workspace's role: the endpoint is created with its credentials, so the service's allowed principals apply. */
  as: WorkspacePrincipal;
  serviceName: string;
  /** The AZ IDs to place the endpoint in; the adapter picks the edge subnet of each from the layout. */
  azIds: string[];
  /** EC2 idempotency token (clientTokenFor in lib/cloud/naming.ts). */
  clientToken: string;
}

export interface DnsRecord {
  hostedZoneId: string;
  /** Fully qualified, lower case, without the trailing dot. */
  name: string;
  type: 'CNAME';
  value: string;
  ttl: number;
}

export interface RedshiftAuthorization {
  clusterIdentifier: string;
  /** The cluster owner's account (the customer). */
  grantor: string;
  grantee: string;
  /** 'Authorized' or 'Revoking' (docs/facts.md#redshift-managed-vpc-endpoints). */
  status: string;
  allowedAllVpcs: boolean;
  allowedVpcs: string[];
  /** The cluster's status as the grant reports it (available, paused…), when the API reports it. */
  clusterStatus?: string;
}

export interface CreateRedshiftEndpointRequest {
  region: string;
  caseId: string;
  /** Deterministic per case (redshiftEndpointName): the name is the idempotency key. */
  endpointName: string;
  clusterIdentifier: string;
  /** The customer's account, which owns the cluster. */
  resourceOwner: string;
}

export interface RedshiftEndpoint {
  name: string;
  clusterIdentifier: string;
  resourceOwner: string;
  /** creating | active | modifying | deleting */
  status: string;
  address: string | null;
  port: number | null;
  /** The interface VPC endpoint Redshift made in the edge VPC (carries the traffic we meter). */
  vpcEndpointId: string | null;
}

/** One UTC day of BytesProcessed. `day` is YYYY-MM-DD. */
export interface DailyBytes {
  day: string;
  bytes: number;
}

/** The dimensions CloudWatch publishes BytesProcessed under (docs/facts.md#usage-metering). */
export interface MetricsTarget {
  region: string;
  vpcEndpointId: string;
  serviceName: string;
  vpcId: string;
}

/** Every call the edge makes, named as fault injection and error messages name them. */
export const EDGE_OPERATIONS = [
  'ensureWorkspaceRole',
  'describeEndpointService',
  'findVpcEndpointsByCase',
  'describeVpcEndpoint',
  'createVpcEndpoint',
  'modifyVpcEndpoint',
  'deleteVpcEndpoint',
  'upsertDnsRecords',
  'deleteDnsRecords',
  'getDnsRecord',
  'getDnsChange',
  'describeRedshiftAuthorization',
  'createRedshiftEndpoint',
  'describeRedshiftEndpoint',
  'deleteRedshiftEndpoint',
  'getDailyBytesProcessed',
] as const;
export type EdgeOperation = (typeof EDGE_OPERATIONS)[number];

export interface EdgeAdapter {
  readonly kind: EdgeProviderKind;

  /**
   * The workspace's role, created (tagged, trusting the portal) when it does not exist yet; idempotent. Every call
   * below that takes a WorkspacePrincipal is made with that role's credentials.
   */
  ensureWorkspacePrincipal(workspaceId: string): Promise<WorkspacePrincipal>;

  /**
   * The service's AZ IDs and acceptance setting, as the workspace's role sees it; throws `unknown_service` when it
   * does not exist or does not allow that role (AWS does not say which).
   */
  describeEndpointService(region: string, serviceName: string, as: WorkspacePrincipal): Promise<EndpointService>;

  /** Interface endpoints tagged with the case (any state, as AWS lists them), oldest first. */
  findVpcEndpointsByCase(region: string, caseId: string): Promise<VpcEndpoint[]>;
  /** One endpoint, or null when AWS no longer knows it. */
  describeVpcEndpoint(region: string, id: string): Promise<VpcEndpoint | null>;
  /** An Interface endpoint, private DNS off, tagged with the case; the same token returns the same endpoint. */
  createVpcEndpoint(request: CreateVpcEndpointRequest): Promise<VpcEndpoint>;
  /** Move an endpoint's subnets to follow the service's AZs. */
  modifyVpcEndpointAzs(region: string, id: string, change: { addAzIds: string[]; removeAzIds: string[] }): Promise<void>;
  /** Delete an endpoint; deleting one that is already gone succeeds. */
  deleteVpcEndpoint(region: string, id: string): Promise<void>;

  /**
   * UPSERT records into private hosted zones, in one change batch per zone; returns the change IDs to wait for, one
   * per batch in the order the zones first appear, without Route 53's `/change/` prefix (C2682N5HXP0BZ4).
   */
  upsertDnsRecords(records: DnsRecord[]): Promise<{ changeIds: string[] }>;
  /**
   * Route 53 GetChange for an ID upsertDnsRecords returned: PENDING until the change reached every Route 53 server
   * of the zone, then INSYNC (docs/facts.md#route-53-change-status). An unknown ID throws (AWS: NoSuchChange).
   */
  getDnsChangeStatus(changeId: string): Promise<'PENDING' | 'INSYNC'>;
  /** DELETE records; ones already gone are skipped. */
  deleteDnsRecords(records: DnsRecord[]): Promise<void>;
  /** The record as Route 53 holds it, or null. */
  getDnsRecord(hostedZoneId: string, name: string, type: DnsRecord['type']): Promise<DnsRecord | null>;

  /** The customer's grant of their cluster to the edge account, or null when there is none. */
  describeRedshiftAuthorization(region: string, clusterIdentifier: string, grantor: string): Promise<RedshiftAuthorization | null>;
  createRedshiftEndpoint(request: CreateRedshiftEndpointRequest): Promise<RedshiftEndpoint>;
  describeRedshiftEndpoint(region: string, name: string): Promise<RedshiftEndpoint | null>;
  /** Delete a Redshift-managed endpoint; deleting one that is already gone succeeds. */
  deleteRedshiftEndpoint(region: string, name: string): Promise<void>;

  /** BytesProcessed per UTC day from `fromDay` to `toDay` inclusive (days without data are left out). */
  getDailyBytesProcessed(target: MetricsTarget, fromDay: string, toDay: string): Promise<DailyBytes[]>;
}
