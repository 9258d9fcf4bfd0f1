/**
 * Redshift: a Redshift-managed VPC endpoint in the edge account to the customer's RA3 cluster
 * (docs/program-rules.md#redshift).
 */
import { z } from 'zod';
import { checkAwsAccountId } from '@/lib/validation/aws';
import { normaliseSteps, regionIssues, regionSchema } from '@/lib/validation/flow';
import { checkPort, type PortRange } from '@/lib/validation/ports';
import { checkClusterIdentifier, checkNodeType, NON_RA3_NODE_TYPES, RA3_NODE_TYPES } from '@/lib/validation/redshift';
import { checkedField, confirmationField, parseSteps } from '@/lib/validation/zod';
import { inputOf } from './inputs';
import { INPUT_PHASES, type CustomerStep, type FlowDefinition } from './types';

// Redshift PrivateLink needs a cluster port in 5431–5455 or 8191–8215 (docs/program-rules.md#redshift).
export const REDSHIFT_PORT_RANGES: readonly PortRange[] = [
  { from: 5431, to: 5455 },
  { from: 8191, to: 8215 },
];

export const redshiftPortSchema = checkedField((value) =>
  checkPort(value, 'Port', { allowed: { ranges: REDSHIFT_PORT_RANGES, by: 'Redshift PrivateLink', rule: 'redshift.port' } }),
);

const clusterAccessSchema = z.object({
  clusterIdentifier: checkedField((v) => checkClusterIdentifier(v)),
  awsAccountId: checkedField((v) => checkAwsAccountId(v)),
});

/** The cluster and its owner's account, as the cluster-access step normalises them. */
function clusterOf(inputs: Record<string, unknown>): { identifier: string; account: string } | undefined {
  const identifier = inputOf(clusterAccessSchema, 'clusterIdentifier', inputs);
  const account = inputOf(clusterAccessSchema, 'awsAccountId', inputs);
  return identifier && account ? { identifier, account } : undefined;
}

const customerSteps: CustomerStep[] = [
  {
    id: 'cluster',
    title: 'Your Redshift cluster',
    description:
      'Redshift PrivateLink needs an RA3 cluster with cluster relocation on and a port in 5431–5455 or 8191–8215. ' +
      'Tell us about the cluster and we check these before your CSM sees the request.',
    phase: 'draft',
    fields: [
      { name: 'region', label: 'Region', help: 'The AWS region your cluster runs in.', kind: 'select' },
      {
        name: 'nodeType',
        label: 'Node type',
        help: "Shown on your cluster's General information panel in the Redshift console.",
        kind: 'select',
        options: [
          ...RA3_NODE_TYPES.map((t) => ({ value: t, label: t })),
          ...NON_RA3_NODE_TYPES.map((t) => ({ value: t, label: `${t} (not supported: resize to RA3 first)` })),
        ],
      },
      {
        name: 'relocationEnabled',
        label: 'Cluster relocation is on',
        help: 'Relocation keeps the cluster endpoint stable if AWS moves the cluster to another Availability Zone, so the edge connection survives the move.',
        kind: 'checkbox',
      },
      {
        name: 'port',
        label: 'Port',
        help: 'The port your cluster listens on (the default, 5439, is allowed). Changing the port once relocation is on fails, so change it first if you need to.',
        kind: 'number',
        placeholder: '5439',
      },
    ],
    schema: z.object({
      region: regionSchema,
      nodeType: checkedField(checkNodeType),
      relocationEnabled: confirmationField(
        'redshift.relocation',
        'Cluster relocation is not confirmed: Redshift PrivateLink needs it, so turn it on for the cluster in the Redshift console (AWS guide "Relocating your cluster") and tick this box.',
      ),
      port: redshiftPortSchema,
    }),
  },
  {
    id: 'cluster-access',
    title: 'Grant access and identify the cluster',
    description:
      'Grant the edge account and VPC shown on this case access to your cluster, then tell us which cluster it is ' +
      'and which AWS account owns it. We check the grant from the edge account (DescribeEndpointAuthorization) before ' +
      'you send: no need to confirm it.',
    phase: 'details',
    fields: [
      {
        name: 'clusterIdentifier',
        label: 'Cluster identifier',
        help: "The cluster's name as the Redshift console's Clusters list shows it.",
        kind: 'text',
        placeholder: 'analytics-prod',
      },
      {
        name: 'awsAccountId',
        label: 'AWS account ID',
        help: 'The 12-digit ID of the AWS account that owns the cluster.',
        kind: 'text',
        placeholder: '123456789012',
      },
    ],
    schema: clusterAccessSchema,
  },
];

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Cases activated before host and port were kept apart stored them as one "address:port" value. */
function splitHostname(value: unknown): { host?: string; port?: number } {
  const m = typeof value === 'string' ? /^([^:]+):(\d+)$/.exec(value.trim()) : null;
  return m ? { host: m[1]!, port: Number(m[2]) } : {};
}

export const redshiftFlow: FlowDefinition = {
  warehouse: 'redshift',
  name: 'Redshift',
  summary: 'A Redshift-managed VPC endpoint in the edge account connects our platform to your RA3 cluster over PrivateLink.',
  needs: [
    'An RA3 cluster (ra3.large, ra3.xlplus, ra3.4xlarge or ra3.16xlarge) in an eligible region',
    'Cluster relocation turned on',
    'The cluster port in 5431–5455 or 8191–8215',
  ],
  steps: [
    {
      id: 'request',
      title: 'Request PrivateLink',
      actor: 'customer',
      description: 'Describe your cluster and submit this request. The portal checks the node type, relocation and port first.',
    },
    {
      id: 'review',
      title: 'CSM review',
      actor: 'csm',
      description: 'Your CSM reviews the request. Once it is accepted, the edge account ID and VPC ID appear on this case.',
    },
    {
      id: 'grant-access',
      title: 'Grant cluster access',
      actor: 'customer',
      description: 'Grant the edge account and VPC access to your cluster, then enter the cluster identifier and your AWS account ID here.',
    },
    {
      id: 'create-endpoint',
      title: 'Create the endpoint',
      actor: 'reconciler',
      description:
        "Once an engineer approves, the portal creates a Redshift-managed VPC endpoint in the edge account's Redshift subnet, and shows its endpoint URL here.",
    },
    {
      id: 'use-hostname',
      title: 'Use the endpoint URL',
      actor: 'customer',
      description:
        'Use the endpoint URL as the Hostname setting, and the port as the Port setting, when you update or create Redshift integrations in our app.',
    },
  ],
  customerSteps,
  usesAwaitingCustomerAction: false,
  edge: { kind: 'redshift_managed', cluster: clusterOf },
  connection: { protocol: 'postgres', defaultDatabase: 'dev', port: (inputs, outputs) => Number(outputs.port ?? inputs.port ?? 5439) },
  claims: {
    kind: 'redshift_cluster',
    // Read leniently, as given: a claim holds even while the value does not pass the step's checks yet.
    of: (inputs) => {
      const cluster = text(inputs.clusterIdentifier);
      const account = text(inputs.awsAccountId)?.replace(/\D/g, '');
      return cluster && account ? [`${account}/${cluster.toLowerCase()}`] : [];
    },
  },
  preflight: { checks: 'redshift_grant', phase: 'details', stepIds: ['cluster-access'] },
  // The endpoint's address and port are two settings of a Redshift integration, so they are two values to copy: a
  // host with ":5439" on the end pasted as the Hostname does not connect.
  outputs: [
    {
      key: 'host',
      label: 'Hostname',
      help: 'The endpoint URL: use it as the Hostname setting when you update or create Redshift integrations in our app.',
    },
    {
      key: 'port',
      label: 'Port',
      help: 'Use as the Port setting of the same integration (your cluster port).',
    },
  ],
  readOutputs(outputs) {
    return { ...splitHostname(outputs.hostname), ...outputs };
  },
  check(inputs, ctx, phases = INPUT_PHASES) {
    const { issues, values } = parseSteps(customerSteps, inputs, phases);
    if (phases.includes('draft')) issues.push(...regionIssues(values.region, ctx.config.eligibleRegions));
    return issues;
  },
  normalise(inputs) {
    return normaliseSteps(customerSteps, inputs);
  },
};
