/** The flows' configuration: which regions are eligible and the Databricks workspace endpoint services. */
import { isRegionShaped, parseEndpointServiceName } from '@/lib/validation/aws';

export interface FlowConfig {
  eligibleRegions: string[];
  /** Region → the Databricks workspace (front-end) VPC endpoint service name in that region. */
  databricksWorkspaceServices: Record<string, string>;
}

export const DEFAULT_FLOW_CONFIG: FlowConfig = Object.freeze({
  // Only warehouses in us-east-1, us-west-2 or eu-west-1 are eligible (docs/program-rules.md#eligible-regions).
  eligibleRegions: Object.freeze(['us-east-1', 'us-west-2', 'eu-west-1']) as string[],
  // UNVERIFIED (docs/facts.md#databricks): taken from terraform-provider-databricks test scripts, not from Databricks'
  // own table. Check them against Databricks' "Regional endpoint reference" before production; override with
  // DATABRICKS_WORKSPACE_SERVICES.
  databricksWorkspaceServices: Object.freeze({
    'us-east-1': 'com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04',
    'us-west-2': 'com.amazonaws.vpce.us-west-2.vpce-svc-0129f463fcfbc46c5',
    'eu-west-1': 'com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016',
  }) as Record<string, string>,
});

function parseRegions(text: string): string[] {
  const regions = text.split(',').map((r) => r.trim());
  const bad = regions.find((r) => !isRegionShaped(r));
  if (bad !== undefined) {
    throw new Error(
      `ELIGIBLE_REGIONS must be a comma-separated list of AWS regions such as "us-east-1,us-west-2"; "${bad}" is not a region.`,
    );
  }
  return [...new Set(regions)];
}

function parseDatabricksServices(text: string): Record<string, string> {
  const example = '{"us-east-1":"com.amazonaws.vpce.us-east-1.vpce-svc-…"}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`DATABRICKS_WORKSPACE_SERVICES is not valid JSON: give an object like ${example}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`DATABRICKS_WORKSPACE_SERVICES must be a JSON object mapping regions to service names, like ${example}.`);
  }
  const services: Record<string, string> = {};
  for (const [region, value] of Object.entries(parsed)) {
    const service = typeof value === 'string' ? parseEndpointServiceName(value) : null;
    if (!isRegionShaped(region)) {
      throw new Error(`DATABRICKS_WORKSPACE_SERVICES has "${region}" as a key, which is not an AWS region.`);
    }
    if (!service) {
      throw new Error(
        `DATABRICKS_WORKSPACE_SERVICES["${region}"] is not an endpoint service name shaped com.amazonaws.vpce.<region>.vpce-svc-<17 hex>.`,
      );
    }
    if (service.region !== region) {
      throw new Error(`DATABRICKS_WORKSPACE_SERVICES["${region}"] names a service in ${service.region}, not in ${region}.`);
    }
    services[region] = service.name;
  }
  return services;
}

/**
 * The configuration from the environment. ELIGIBLE_REGIONS is a comma list; DATABRICKS_WORKSPACE_SERVICES a JSON
 * object region → service name, each service in its own region. Either one unset or blank keeps its default; a value
 * replaces the default entirely. Throws an Error naming the bad variable.
 */
export function loadFlowConfig(env: Record<string, string | undefined>): FlowConfig {
  const regions = env.ELIGIBLE_REGIONS?.trim();
  const services = env.DATABRICKS_WORKSPACE_SERVICES?.trim();
  return {
    eligibleRegions: regions ? parseRegions(regions) : [...DEFAULT_FLOW_CONFIG.eligibleRegions],
    databricksWorkspaceServices: services ? parseDatabricksServices(services) : { ...DEFAULT_FLOW_CONFIG.databricksWorkspaceServices },
  };
}

let current: FlowConfig | undefined;
/** This process's flow configuration (eligible regions, Databricks services), read once from the environment. */
export function getFlowConfig(): FlowConfig {
  current ??= loadFlowConfig(process.env);
  return current;
}
