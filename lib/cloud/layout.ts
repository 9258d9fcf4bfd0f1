import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AWS_REGION_PATTERN } from '@/lib/domain/aws-region';
import { workspacePrincipal } from './naming';

/**
 * The edge account's layout: where endpoints go. For the `aws` adapter it comes from the JSON file named by
 * EDGE_CONFIG, validated at start with an error naming the bad key; the `sandbox` adapter uses SANDBOX_EDGE_LAYOUT.
 * The wizard shows the account ID, VPC IDs and principal ARN to the customer once a CSM accepted the case.
 */

const region = z.string().regex(AWS_REGION_PATTERN, 'must be an AWS region such as us-east-1');

export const edgeRegionSchema = z.object({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC ID such as vpc-0a1b2c3d4e5f67890'),
  /**
   * The edge VPC's CIDR (the customer's NLB rule must admit it; the program names 10.0.0.0/8:
   * docs/program-rules.md#rds-postgres).
   */
  vpcCidr: z.string().default('10.0.0.0/8'),
  subnets: z
    .array(
      z.object({
        subnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet ID such as subnet-0a1b2c3d4e5f67890'),
        /** AZ IDs compare across accounts; AZ names do not (docs/facts.md#endpoint-services-and-availability-zones). */
        azId: z.string().regex(/^[a-z]{2,4}\d-az\d+$/, 'must be an AZ ID such as use1-az1'),
      }),
    )
    .min(1, 'needs at least one subnet'),
  securityGroupIds: z
    .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group ID such as sg-0a1b2c3d4e5f67890'))
    .min(1, 'needs at least one security group'),
  redshiftSubnetGroup: z.string().min(1, 'must name the Redshift subnet group for managed endpoints'),
  /** Private hosted zones attached to the edge VPC, e.g. privatelink.snowflakecomputing.com. */
  hostedZones: z
    .array(
      z.object({
        id: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ'),
        name: z.string().min(3),
      }),
    )
    .default([]),
});

export const edgeLayoutSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/, 'must be the 12-digit edge AWS account ID'),
  /**
   * The identity the portal itself runs as, which every workspace role trusts to assume it
   * (docs/design.md#a-principal-per-workspace). Defaults to the account root: any principal of the edge account that
   * its own policy lets call sts:AssumeRole on the workspace roles.
   */
  portalPrincipalArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/, 'must be an IAM principal ARN')
    .optional(),
  regions: z.record(region, edgeRegionSchema),
});

export type EdgeLayout = z.output<typeof edgeLayoutSchema> & { portalPrincipalArn: string };
export type EdgeRegion = z.output<typeof edgeRegionSchema>;

function finish(layout: z.output<typeof edgeLayoutSchema>): EdgeLayout {
  return { ...layout, portalPrincipalArn: layout.portalPrincipalArn ?? `arn:aws:iam::${layout.accountId}:root` };
}

/** Parse a layout, with an error naming each bad key ("regions.us-east-1.vpcId must be a VPC ID…"). */
export function parseEdgeLayout(raw: unknown, source = 'EDGE_CONFIG'): EdgeLayout {
  const parsed = edgeLayoutSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    throw new Error(`${source} is not a valid edge layout: ${problems.join('; ')}.`);
  }
  return finish(parsed.data);
}

// The simulated edge account of the embedded default: realistic IDs, three AZs per region.
export const SANDBOX_EDGE_LAYOUT: EdgeLayout = finish({
  accountId: '210987654321',
  regions: Object.fromEntries(
    (
      [
        ['us-east-1', 'use1', '1'],
        ['us-west-2', 'usw2', '2'],
        ['eu-west-1', 'euw1', '3'],
      ] as const
    ).map(([r, az, n]) => [
      r,
      {
        // IDs with 17 hex digits, as AWS issues them.
        vpcId: `vpc-0e${n}9a7c5d3b1f2e4a`,
        vpcCidr: '10.0.0.0/8',
        subnets: [1, 2, 3].map((i) => ({ subnetId: `subnet-0${n}${i}b4c6d8e0f2a4c6`, azId: `${az}-az${i}` })),
        securityGroupIds: [`sg-0${n}7f5e3d1c9b7a5e3`],
        redshiftSubnetGroup: 'edge-redshift-endpoints',
        hostedZones: [
          { id: `Z0${n}SNOWFLAKEPL7Q2W`, name: 'privatelink.snowflakecomputing.com' },
          { id: `Z0${n}DATABRICKSPL3K9`, name: 'cloud.databricks.com' },
        ],
      },
    ]),
  ),
});

let cached: EdgeLayout | undefined;

/** The layout in force: EDGE_CONFIG's file for EDGE_PROVIDER=aws, the sandbox layout otherwise. */
export function getEdgeLayout(env: Record<string, string | undefined> = process.env): EdgeLayout {
  if (cached) return cached;
  if (env.EDGE_PROVIDER === 'aws') {
    const file = env.EDGE_CONFIG;
    if (!file)
      throw new Error('EDGE_PROVIDER=aws needs EDGE_CONFIG: the path of the edge layout JSON file (see docs/edge-config.example.json).');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`EDGE_CONFIG: cannot read ${file} as JSON: ${(err as Error).message}`);
    }
    cached = parseEdgeLayout(raw, `EDGE_CONFIG (${file})`);
  } else {
    cached = SANDBOX_EDGE_LAYOUT;
  }
  return cached;
}

/** For tests that switch layouts. */
export function resetEdgeLayoutCache() {
  cached = undefined;
}

// The edge account's values are shown to the customer only once a CSM has accepted the case.
const EDGE_REVEALED_STATES = new Set([
  'awaiting_customer',
  'ready_to_provision',
  'pending_approval',
  'provisioning',
  'awaiting_customer_action',
  'active',
  'failed',
  'suspended',
]);

/**
 * Account ID, VPC ID and the workspace's own principal ARN for a case's region, or undefined before acceptance (or for
 * an unknown region).
 */
export function edgeValuesFor(c: {
  state: string;
  region: string;
  workspaceId: string;
}): { accountId: string; vpcId: string; principalArn: string } | undefined {
  if (!EDGE_REVEALED_STATES.has(c.state)) return undefined;
  const layout = getEdgeLayout();
  const r = layout.regions[c.region];
  return r
    ? { accountId: layout.accountId, vpcId: r.vpcId, principalArn: workspacePrincipal(layout.accountId, c.workspaceId).arn }
    : undefined;
}
