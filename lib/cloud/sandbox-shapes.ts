/**
 * The sandbox's look-alikes of AWS: identifiers, DNS names, AZ IDs, errors and traffic, shaped as AWS shapes them
 * (docs/facts.md#ec2-interface-vpc-endpoints) so that what the sandbox shows a customer looks like what AWS would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GIB } from '@/lib/domain/units';
import { DAY_MS, dayStart } from '@/lib/domain/utc-day';

/** vpce- and 17 lowercase hex digits, like vpce-0a1b2c3d4e5f67890. */
export function newVpcEndpointId(): string {
  return `vpce-0${randomBytes(8).toString('hex')}`;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(n: number): string {
  return [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/**
 * `vpce-<id>-<8 chars>.vpce-svc-<id>.<region>.vpce.amazonaws.com`: the regional DNS name
 * (docs/facts.md#ec2-interface-vpc-endpoints).
 */
export function vpcEndpointDnsName(endpointId: string, serviceName: string, region: string): string {
  const serviceId = /vpce-svc-[0-9a-f]+$/.exec(serviceName)?.[0] ?? `vpce-svc-${hashHex(serviceName, 17)}`;
  return `${endpointId}-${randomAlnum(8)}.${serviceId}.${region}.vpce.amazonaws.com`;
}

/** A Redshift-managed endpoint's address, shaped like AWS's `<name>-endpoint-<20>.<12>.<region>.redshift.amazonaws.com`. */
export function redshiftEndpointAddress(name: string, clusterIdentifier: string, region: string): string {
  return `${name}-endpoint-${randomAlnum(20)}.${hashHex(clusterIdentifier, 12)}.${region}.redshift.amazonaws.com`;
}

/** The service behind a Redshift-managed endpoint (AWS runs one per cluster; its name is not otherwise shown). */
export function redshiftServiceName(region: string, clusterIdentifier: string, owner: string): string {
  return `com.amazonaws.vpce.${region}.vpce-svc-0${hashHex(`${owner}/${clusterIdentifier}`, 16)}`;
}

export function hashHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A number in [0, 1) fixed by the text: what makes the sandbox's choices repeatable. */
export function hash01(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

// How many AZ IDs each region has (AWS's published counts for the three eligible regions).
const AZ_COUNT: Record<string, number> = { 'us-east-1': 6, 'us-west-2': 4, 'eu-west-1': 3 };

/** Every AZ ID of a region, from the prefix the edge layout's subnets use (use1 → use1-az1…use1-az6). */
export function regionAzIds(region: string, prefix: string): string[] {
  return Array.from({ length: AZ_COUNT[region] ?? 3 }, (_, i) => `${prefix}-az${i + 1}`);
}

/**
 * The AZ IDs a simulated service offers. A warehouse vendor's service (Databricks, Snowflake) spans the region; a
 * customer's NLB sits in two or three of the first three zones, so it always shares one with the sandbox edge VPC.
 */
export function defaultServiceAzIds(serviceName: string, region: string, prefix: string, vendor: boolean): string[] {
  const all = regionAzIds(region, prefix);
  if (vendor) return all;
  const patterns = [
    [0, 1],
    [1, 2],
    [0, 2],
    [0, 1, 2],
  ];
  const pick = patterns[Math.floor(hash01(serviceName) * patterns.length)]!;
  return pick.map((i) => all[i]!).filter(Boolean);
}

/** An error shaped as the SDK throws them: name, message, $fault, $metadata.httpStatusCode. */
export function awsError(
  name: string,
  message: string,
  status = 400,
  fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

export const SANDBOX_FAULT_KINDS = [
  'throttling',
  'server_error',
  'timeout',
  'not_authorized',
  'quota',
  'unknown_service',
  'az_mismatch',
] as const;
export type SandboxFaultKind = (typeof SANDBOX_FAULT_KINDS)[number];

/** The error AWS would throw for an injected fault on an operation. */
export function faultError(kind: SandboxFaultKind, operation: string): Error {
  const ec2 = /VpcEndpoint|EndpointService/.test(operation);
  switch (kind) {
    case 'throttling':
      return ec2 ? awsError('RequestLimitExceeded', 'Request limit exceeded.', 503) : awsError('Throttling', 'Rate exceeded', 400);
    case 'server_error':
      return awsError(ec2 ? 'InternalError' : 'InternalFailure', 'An internal error has occurred', 500);
    case 'timeout':
      return Object.assign(new Error('Connection timed out after 15000 ms'), { name: 'TimeoutError' });
    case 'not_authorized':
      return awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    case 'quota':
      return awsError('VpcEndpointLimitExceeded', 'The maximum number of VPC endpoints has been reached.', 400);
    case 'unknown_service':
      return awsError('InvalidServiceName', 'The Vpc Endpoint Service does not exist', 400);
    case 'az_mismatch':
      return awsError('InvalidParameter', 'The VPC endpoint service does not support the availability zone of the subnet.', 400);
  }
}

/**
 * Bytes an endpoint moved on one UTC day while it existed between `from` and `until`: `gibPerDay` when set, else a
 * plausible, repeatable 0.3–3 GiB on weekdays and less at weekends (about 40 GiB a month: well under 300).
 */
export function sandboxDailyBytes(endpointId: string, day: string, from: Date, until: Date, gibPerDay: number | null): number {
  const start = dayStart(day).getTime();
  const overlap = Math.min(start + DAY_MS, until.getTime()) - Math.max(start, from.getTime());
  if (overlap <= 0) return 0;
  const weekday = new Date(start).getUTCDay();
  const rate = gibPerDay ?? (0.3 + 2.7 * hash01(`${endpointId}/${day}`)) * (weekday === 0 || weekday === 6 ? 0.4 : 1);
  return Math.round(rate * GIB * (overlap / DAY_MS));
}
