import type { EdgeOperation } from './types';

/**
 * An edge call that failed, in words a CSM can act on, and whether trying again can help. Both adapters throw only
 * these: aws.ts maps the SDK's errors with mapAwsError, and the sandbox throws AWS-shaped errors through the same map,
 * so the reconciler's handling is tested on the sandbox too.
 */

export type EdgeErrorCode =
  | 'throttled'
  | 'server_error'
  | 'timeout'
  | 'unknown_service'
  | 'not_authorized'
  | 'az_mismatch'
  | 'quota'
  | 'not_found'
  | 'invalid_request'
  /**
   * IAM is eventually consistent: a workspace role created moments ago may not be usable yet
   * (docs/facts.md#a-principal-per-workspace). Clears by itself, so it is retried.
   */
  | 'propagating';

const RETRYABLE: ReadonlySet<EdgeErrorCode> = new Set(['throttled', 'server_error', 'timeout', 'propagating']);

export class EdgeError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: EdgeErrorCode,
    message: string,
    readonly operation: EdgeOperation,
    readonly awsCode?: string,
  ) {
    super(message);
    this.name = 'EdgeError';
    this.retryable = RETRYABLE.has(code);
  }
}

/** What a call was about, for the words of its error. */
export interface ErrorContext {
  operation: EdgeOperation;
  region?: string;
  serviceName?: string;
  resource?: string;
  /** The workspace role the call was made as (describeEndpointService, createVpcEndpoint). */
  principal?: string;
}

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

// Error codes AWS uses for "slow down" across EC2 (RequestLimitExceeded), Route 53 (Throttling,
// PriorRequestNotComplete), Redshift and CloudWatch (Throttling*).
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'TransactionInProgressException',
]);
const SERVER = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'Unavailable',
  'ServiceUnavailableException',
  // IAM's 500.
  'ServiceFailure',
  'ServiceFailureException',
]);
const TIMEOUT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'NetworkingError',
]);
const NOT_AUTHORIZED = new Set([
  'UnauthorizedOperation',
  'AccessDenied',
  'AccessDeniedException',
  'AuthFailure',
  'UnauthorizedAccess',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'AccessToClusterDenied',
  'CredentialsProviderError',
]);
// Redshift's words for "the cluster owner has not granted the edge account access".
const NO_CLUSTER_GRANT = new Set([
  'EndpointAuthorizationNotFound',
  'EndpointAuthorizationNotFoundFault',
  'AccessToClusterDenied',
  'AccessToClusterDeniedFault',
]);
const QUOTA = new Set([
  'VpcEndpointLimitExceeded',
  'EndpointsPerClusterLimitExceeded',
  'EndpointsPerClusterLimitExceededFault',
  'EndpointsPerAuthorizationLimitExceeded',
  'EndpointsPerAuthorizationLimitExceededFault',
  'EndpointQuotaExceeded',
  'InsufficientFreeAddressesInSubnet',
  'ResourceLimitExceeded',
  // IAM: roles per account, inline policy size (docs/facts.md#a-principal-per-workspace).
  'LimitExceeded',
  'LimitExceededException',
]);
const UNKNOWN_SERVICE = new Set(['InvalidServiceName']);
const NOT_FOUND = new Set([
  'InvalidVpcEndpointId.NotFound',
  'InvalidVpcEndpoint.NotFound',
  'EndpointNotFound',
  'EndpointNotFoundFault',
  'ClusterNotFound',
  'ClusterNotFoundFault',
  'NoSuchHostedZone',
  'EndpointAuthorizationNotFound',
  'EndpointAuthorizationNotFoundFault',
  // IAM GetRole of a role that does not exist.
  'NoSuchEntity',
  'NoSuchEntityException',
]);

const AZ_MISMATCH = /does not support the availability zone/i;

// CreateEndpointAccess refusals that come from the cluster itself, each the customer's to fix, named by the same rule
// the wizard checks (docs/facts.md#redshift-managed-vpc-endpoints).
const REDSHIFT_CLUSTER_RULES: { test: RegExp; rule: string; fix: string }[] = [
  {
    test: /\bRA3\b|node type/i,
    rule: 'node_type.ra3',
    fix: 'Redshift-managed VPC endpoints work only on RA3 node types: resize the cluster to an RA3 node type, then retry',
  },
  {
    test: /relocat/i,
    rule: 'redshift.relocation',
    fix: 'turn on cluster relocation (Redshift console → the cluster → Properties → Backup → Cluster relocation), then retry',
  },
  {
    test: /\bport\b/i,
    rule: 'redshift.port',
    fix: 'Redshift-managed endpoints need the cluster on a port in 5431–5455 or 8191–8215: change the cluster port, then retry',
  },
];

function codeOf(err: AwsLikeError): string {
  return err.name && err.name !== 'Error' ? err.name : (err.Code ?? err.code ?? 'Error');
}

function where(ctx: ErrorContext): string {
  return ctx.region ? ` in ${ctx.region}` : '';
}

/** An SDK (or sandbox) error as an EdgeError with a message that names the cause and the fix. */
export function mapAwsError(err: unknown, ctx: ErrorContext): EdgeError {
  if (err instanceof EdgeError) return err;
  const e = (err ?? {}) as AwsLikeError;
  const code = codeOf(e);
  const status = e.$metadata?.httpStatusCode;
  const aws = e.message ? ` (AWS said: ${code}: ${e.message})` : ` (AWS error ${code})`;
  const make = (kind: EdgeErrorCode, message: string) => new EdgeError(kind, message, ctx.operation, code);

  if (THROTTLING.has(code) || e.$retryable?.throttling || status === 429) {
    return make(
      'throttled',
      `AWS is throttling the edge account's ${ctx.operation} calls${where(ctx)}; the portal retries with backoff.${aws}`,
    );
  }
  if (TIMEOUT.has(code)) {
    return make('timeout', `The call ${ctx.operation}${where(ctx)} timed out or lost its connection; the portal retries.${aws}`);
  }
  if (SERVER.has(code) || (status !== undefined && status >= 500) || e.$fault === 'server') {
    return make('server_error', `AWS had an internal error on ${ctx.operation}${where(ctx)}; the portal retries.${aws}`);
  }
  if (AZ_MISMATCH.test(e.message ?? '')) {
    return make(
      'az_mismatch',
      `The endpoint service${ctx.serviceName ? ` ${ctx.serviceName}` : ''} does not offer an Availability Zone of the edge subnets chosen${where(ctx)}: the customer's load balancer and the edge VPC must share at least one AZ ID.${aws}`,
    );
  }
  if (UNKNOWN_SERVICE.has(code)) {
    // AWS answers the same for a service that does not exist and one that does not allow the caller: the words name
    // both causes and the one principal that must be allowed, the workspace's own role
    // (docs/facts.md#allowed-principals), never the edge account as a whole.
    const service = ctx.serviceName ? `The endpoint service ${ctx.serviceName}` : 'The endpoint service';
    const role = ctx.principal ? `this workspace's role ${ctx.principal}` : "this workspace's role";
    return make(
      'unknown_service',
      `${service} does not exist${where(ctx)}, or it does not list ${role} as an allowed principal: ask the customer to check the service name and to add ${ctx.principal ?? 'the edge principal ARN shown on the case'} to the service's allowed principals, then retry.${aws}`,
    );
  }
  if (NO_CLUSTER_GRANT.has(code)) {
    return make(
      'not_authorized',
      `The cluster owner has not granted the edge account access to ${ctx.resource ?? 'the cluster'}${where(ctx)}: ask the customer to run aws redshift authorize-endpoint-access for the edge account and VPC shown on the case, then retry.${aws}`,
    );
  }
  if (ctx.operation === 'createRedshiftEndpoint') {
    const hit = REDSHIFT_CLUSTER_RULES.find((r) => r.test.test(e.message ?? ''));
    if (hit)
      return make(
        'invalid_request',
        `Cluster ${ctx.resource ?? ''}${where(ctx)} cannot take a managed endpoint (rule ${hit.rule}): ${hit.fix}.${aws}`.replace(
          'Cluster cluster ',
          'Cluster ',
        ),
      );
  }
  if (NOT_AUTHORIZED.has(code)) {
    return make(
      'not_authorized',
      `The edge account is not authorized to call ${ctx.operation}${where(ctx)}${ctx.resource ? ` on ${ctx.resource}` : ''}: an engineer must check the edge role's IAM policy (docs/edge-iam-policy.json) and credentials, then retry.${aws}`,
    );
  }
  if (QUOTA.has(code)) {
    return make(
      'quota',
      `The edge account reached an AWS quota on ${ctx.operation}${where(ctx)}: an engineer must raise it in Service Quotas (for VPC endpoints: "Interface VPC endpoints per VPC") or free capacity, then retry.${aws}`,
    );
  }
  if (NOT_FOUND.has(code)) {
    return make(
      'not_found',
      `${ctx.resource ?? 'The resource'} was not found${where(ctx)}: check the identifiers on the case, then retry.${aws}`,
    );
  }
  return make(
    'invalid_request',
    `AWS refused ${ctx.operation}${where(ctx)}${ctx.resource ? ` for ${ctx.resource}` : ''}: an engineer should read the AWS message and fix the request or the edge layout, then retry.${aws}`,
  );
}

/** True for an AWS "not found" answer (a describe of something deleted): adapters turn these into null. */
export function isAwsNotFound(err: unknown): boolean {
  const e = (err ?? {}) as AwsLikeError;
  return NOT_FOUND.has(codeOf(e));
}

/** Run one SDK call; any error comes out as an EdgeError in words. */
export async function callAws<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapAwsError(err, ctx);
  }
}
