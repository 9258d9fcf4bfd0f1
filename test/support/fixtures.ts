import { getFlow, type InputPhase } from '@/lib/providers';
import type { Warehouse } from '@/lib/domain/warehouses';

/** Valid customer inputs per warehouse and phase (us-east-1), shaped as a customer would give them. */
export const VALID_INPUTS: Record<Warehouse, Partial<Record<InputPhase, Record<string, unknown>>>> = {
  databricks: {
    draft: { region: 'us-east-1', backendPrivateLink: true },
    after_endpoint: { workspaceUsesSettings: true, workspaceUrl: 'https://acme-analytics.cloud.databricks.com/' },
  },
  rds_postgres: {
    draft: {
      region: 'us-east-1',
      endpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718',
      databasePort: '5432',
      inboundEnforcement: 'on',
      inboundRules: [{ cidr: '10.0.0.0/8', fromPort: 5432, toPort: 5432, protocol: 'tcp' }],
    },
    details: {},
  },
  redshift: {
    draft: { region: 'us-east-1', nodeType: 'ra3.xlplus', relocationEnabled: true, port: '5439' },
    details: { clusterIdentifier: 'analytics-prod', awsAccountId: '123456789012' },
  },
  snowflake: {
    draft: { region: 'us-east-1', privatelinkEnabled: true },
    details: {
      privatelinkConfig: JSON.stringify({
        'privatelink-account-name': 'xy12345.us-east-1.privatelink',
        'privatelink-vpce-id': 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788',
        'privatelink-account-url': 'xy12345.us-east-1.privatelink.snowflakecomputing.com',
        'privatelink_ocsp-url': 'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
        'regionless-privatelink-account-url': 'myorg-acme.privatelink.snowflakecomputing.com',
      }),
    },
  },
};

/** The wizard steps of a phase with the fixture's values for each: [stepId, values][]. */
export function stepsWithValues(warehouse: Warehouse, phase: InputPhase): [string, Record<string, unknown>][] {
  const values = VALID_INPUTS[warehouse][phase] ?? {};
  return getFlow(warehouse)
    .customerSteps.filter((s) => s.phase === phase)
    .map((s) => [s.id, Object.fromEntries(s.fields.filter((f) => f.name in values).map((f) => [f.name, values[f.name]]))]);
}
