/** Deterministic names and lookups derived from a case and the edge layout: what makes retries and restarts safe. */
import type { EdgeRegion } from './layout';

/**
 * EC2 CreateVpcEndpoint ClientToken (≤ 64 ASCII characters): the same case and generation always send the same token,
 * so a create repeated after a crash returns the endpoint the first one made (docs/facts.md#ec2-interface-vpc-endpoints).
 * The generation counts the case's earlier endpoints: after a rejected endpoint was deleted and the case retried, a new
 * token makes a new one.
 */
export function clientTokenFor(caseId: string, generation: number): string {
  return `plp-${caseId}-${generation}`;
}

// Redshift EndpointName: 1–30 characters, letters, digits and hyphens, starts with a letter, no `--`, no trailing `-`
// (docs/facts.md#redshift-managed-vpc-endpoints).
const REDSHIFT_ENDPOINT_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*$/i;

export function isValidRedshiftEndpointName(name: string): boolean {
  return name.length >= 1 && name.length <= 30 && REDSHIFT_ENDPOINT_NAME.test(name) && !name.endsWith('-');
}

/**
 * The Redshift-managed endpoint's name for a case: "plp-" and the case id's first 20 hex digits (80 bits; unique
 * within one account and region in practice). The name is the idempotency key: looked up before any create.
 */
export function redshiftEndpointName(caseId: string): string {
  const hex = caseId
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase()
    .slice(0, 20);
  const name = `plp-${hex}`;
  if (!isValidRedshiftEndpointName(name)) throw new Error(`Cannot derive a Redshift endpoint name from case id "${caseId}".`);
  return name;
}

/** Every workspace role's name starts with this: the edge IAM policy scopes its IAM and STS permissions to it. */
export const WORKSPACE_ROLE_PREFIX = 'plp-ws-';

/**
 * The workspace's role in the edge account: `plp-ws-<workspace id>` (43 characters of the 64 IAM allows) and no path,
 * because ModifyVpcEndpointServicePermissions refuses principal ARNs with a path (docs/facts.md#a-principal-per-workspace).
 */
export function workspacePrincipal(accountId: string, workspaceId: string) {
  const roleName = `${WORKSPACE_ROLE_PREFIX}${workspaceId.toLowerCase()}`;
  return { workspaceId, roleName, arn: `arn:aws:iam::${accountId}:role/${roleName}` };
}

/** A DNS name as Route 53 compares it: lower case, no trailing dot. */
export function normaliseDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** The private hosted zone whose name is the longest suffix of `host`, or undefined when the layout has none. */
export function hostedZoneFor(region: EdgeRegion, host: string): { id: string; name: string } | undefined {
  const h = normaliseDnsName(host);
  return region.hostedZones
    .filter((z) => {
      const zone = normaliseDnsName(z.name);
      return h === zone || h.endsWith(`.${zone}`);
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
}

/** The edge subnets in the given AZ IDs (one per AZ, the first the layout lists). */
export function subnetsForAzIds(region: EdgeRegion, azIds: readonly string[]): { subnetId: string; azId: string }[] {
  const out: { subnetId: string; azId: string }[] = [];
  for (const azId of azIds) {
    const subnet = region.subnets.find((s) => s.azId === azId);
    if (subnet) out.push(subnet);
  }
  return out;
}

/** The AZ IDs the edge VPC has subnets in. */
export function edgeAzIds(region: EdgeRegion): string[] {
  return [...new Set(region.subnets.map((s) => s.azId))];
}

/**
 * AZ IDs both sides share, in the service's order (AZ IDs, never names:
 * docs/facts.md#endpoint-services-and-availability-zones).
 */
export function sharedAzIds(serviceAzIds: readonly string[], region: EdgeRegion): string[] {
  const edge = new Set(edgeAzIds(region));
  return serviceAzIds.filter((az) => edge.has(az));
}
