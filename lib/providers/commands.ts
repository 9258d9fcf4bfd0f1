/**
 * Copy-ready commands for what the customer does in their own AWS / Snowflake / Databricks account, with the real
 * values filled in. Edge values (account ID, VPC ID, principal ARN) are passed only once a CSM has accepted the case.
 */

export interface EdgeValues {
  accountId: string;
  vpcId: string;
  principalArn: string;
}

export interface CommandSnippet {
  title: string;
  language: 'bash' | 'hcl' | 'sql' | 'text';
  code: string;
}

export interface CommandContext {
  region: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Absent until the case is accepted. */
  edge?: EdgeValues;
}

const text = (v: unknown, placeholder: string) => (typeof v === 'string' && v.trim() ? v.trim() : placeholder);

/** The vpce-svc-… id at the end of an endpoint service name. */
export function serviceIdOf(serviceName: unknown): string {
  const m = typeof serviceName === 'string' ? /(vpce-svc-[0-9a-f]+)$/.exec(serviceName.trim()) : null;
  return m?.[1] ?? '<your-vpce-svc-id>';
}

type Builder = (ctx: CommandContext & { edge: EdgeValues }) => CommandSnippet[];

// Per warehouse, per wizard step id (or the pseudo-steps "nlb-setting" and "accept-connection"): what to run.
// A flow with no commands (a warehouse added later) has no entry: its steps show none.
const BUILDERS: Record<string, Record<string, Builder>> = {
  rds_postgres: {
    // The customer adds the edge principal as an allowed principal of their NLB endpoint service
    // (docs/program-rules.md#rds-postgres).
    'allowed-principal': ({ region, inputs, edge }) => {
      const svc = serviceIdOf(inputs.endpointServiceName);
      return [
        {
          title: 'AWS CLI',
          language: 'bash',
          code: [
            `aws ec2 modify-vpc-endpoint-service-permissions \\`,
            `  --region ${region} \\`,
            `  --service-id ${svc} \\`,
            `  --add-allowed-principals ${edge.principalArn}`,
          ].join('\n'),
        },
        {
          title: 'Terraform',
          language: 'hcl',
          code: [
            `resource "aws_vpc_endpoint_service_allowed_principal" "privatelink_portal" {`,
            `  vpc_endpoint_service_id = "${svc}"`,
            `  principal_arn           = "${edge.principalArn}"`,
            `}`,
          ].join('\n'),
        },
      ];
    },
    // When the service requires acceptance, the new endpoint waits in pendingAcceptance until the customer accepts it.
    'accept-connection': ({ region, inputs, outputs }) => {
      const svc = serviceIdOf(inputs.endpointServiceName);
      const vpce = text(outputs.vpcEndpointId, '<vpc-endpoint-id shown on this case>');
      return [
        {
          title: 'AWS CLI',
          language: 'bash',
          code: [
            `aws ec2 accept-vpc-endpoint-connections \\`,
            `  --region ${region} \\`,
            `  --service-id ${svc} \\`,
            `  --vpc-endpoint-ids ${vpce}`,
          ].join('\n'),
        },
      ];
    },
  },
  redshift: {
    // The customer grants the edge account and VPC access to the cluster with AuthorizeEndpointAccess
    // (docs/facts.md#redshift-managed-vpc-endpoints).
    'cluster-access': ({ region, inputs, edge }) => {
      const cluster = text(inputs.clusterIdentifier, '<your-cluster-identifier>');
      return [
        {
          title: 'AWS CLI',
          language: 'bash',
          code: [
            `aws redshift authorize-endpoint-access \\`,
            `  --region ${region} \\`,
            `  --cluster-identifier ${cluster} \\`,
            `  --account ${edge.accountId} \\`,
            `  --vpc-ids ${edge.vpcId}`,
          ].join('\n'),
        },
        {
          title: 'Terraform',
          language: 'hcl',
          code: [
            `resource "aws_redshift_endpoint_authorization" "privatelink_portal" {`,
            `  cluster_identifier = "${cluster}"`,
            `  account            = "${edge.accountId}"`,
            `  vpc_ids            = ["${edge.vpcId}"]`,
            `}`,
          ].join('\n'),
        },
      ];
    },
  },
  snowflake: {
    // A Snowflake support case names the edge account; then ACCOUNTADMIN reads the config
    // (docs/program-rules.md#snowflake).
    'privatelink-config': ({ edge }) => [
      {
        title: 'Snowflake support case',
        language: 'text',
        code: `Please authorize AWS PrivateLink connections to our Snowflake account from the third-party vendor AWS account ${edge.accountId}.`,
      },
      {
        title: 'Snowflake SQL (run as ACCOUNTADMIN)',
        language: 'sql',
        code: 'USE ROLE ACCOUNTADMIN;\nSELECT SYSTEM$GET_PRIVATELINK_CONFIG();',
      },
    ],
  },
  databricks: {
    // The customer registers the endpoint in their Databricks account and allows it in Private Access Settings
    // (docs/program-rules.md#databricks).
    'register-endpoint': ({ region, outputs, edge }) => {
      const vpce = text(outputs.vpcEndpointId, '<vpc-endpoint-id shown on this case>');
      return [
        {
          title: 'Terraform (Databricks provider, account level)',
          language: 'hcl',
          code: [
            `resource "databricks_mws_vpc_endpoint" "privatelink_portal" {`,
            `  account_id          = var.databricks_account_id`,
            `  vpc_endpoint_name   = "privatelink-portal-${region}"`,
            `  region              = "${region}"`,
            `  aws_vpc_endpoint_id = "${vpce}"`,
            `  aws_account_id      = "${edge.accountId}"`,
            `}`,
            ``,
            `resource "databricks_mws_private_access_settings" "pas" {`,
            `  private_access_settings_name = "privatelink-portal"`,
            `  region                       = "${region}"`,
            `  private_access_level         = "ENDPOINT"`,
            `  allowed_vpc_endpoint_ids     = [databricks_mws_vpc_endpoint.privatelink_portal.vpc_endpoint_id]`,
            `}`,
          ].join('\n'),
        },
        {
          title: 'Databricks account API',
          language: 'bash',
          code: [
            `curl -X POST "https://accounts.cloud.databricks.com/api/2.0/accounts/$DATABRICKS_ACCOUNT_ID/vpc-endpoints" \\`,
            `  -H "Authorization: Bearer $DATABRICKS_TOKEN" \\`,
            `  -d '{"vpc_endpoint_name": "privatelink-portal-${region}", "region": "${region}", "aws_vpc_endpoint_id": "${vpce}"}'`,
          ].join('\n'),
        },
      ];
    },
  },
};

// Commands that need no edge values (shown from the first step).
const PUBLIC_BUILDERS: Record<string, Record<string, (ctx: CommandContext) => CommandSnippet[]>> = {
  rds_postgres: {
    // EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, set with SetSecurityGroups
    // (docs/facts.md#network-load-balancer-inbound-rules).
    'nlb-service': ({ region }) => [
      {
        title: 'AWS CLI: turn off inbound-rule enforcement for PrivateLink traffic (one of the two options)',
        language: 'bash',
        code: [
          `aws elbv2 set-security-groups \\`,
          `  --region ${region} \\`,
          `  --load-balancer-arn <your-nlb-arn> \\`,
          `  --security-groups <your-nlb-security-group-id> \\`,
          `  --enforce-security-group-inbound-rules-on-private-link-traffic off`,
        ].join('\n'),
      },
    ],
  },
};

/** Snippets for one step of a case; edge-bearing ones only when `edge` is given. */
export function commandsFor(warehouse: string, stepId: string, ctx: CommandContext): CommandSnippet[] {
  const pub = PUBLIC_BUILDERS[warehouse]?.[stepId]?.(ctx) ?? [];
  const builder = BUILDERS[warehouse]?.[stepId];
  return [...pub, ...(builder && ctx.edge ? builder({ ...ctx, edge: ctx.edge }) : [])];
}
