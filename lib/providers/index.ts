/** The registry of warehouse flows. Adding a warehouse: one file in this folder and one line here. */
import type { FlowConfig } from './config';
import type { CustomerStep, FlowDefinition } from './types';
import { databricksFlow } from './databricks';
import { rdsPostgresFlow } from './rds-postgres';
import { redshiftFlow } from './redshift';
import { snowflakeFlow } from './snowflake';
import type { Warehouse } from '@/lib/domain/warehouses';

export const FLOWS: Record<Warehouse, FlowDefinition> = {
  databricks: databricksFlow,
  rds_postgres: rdsPostgresFlow,
  redshift: redshiftFlow,
  snowflake: snowflakeFlow,
};

export const FLOW_LIST: FlowDefinition[] = Object.values(FLOWS);

export function getFlow(warehouse: Warehouse): FlowDefinition {
  const flow = FLOWS[warehouse];
  if (!flow) throw new Error(`No PrivateLink flow for warehouse "${String(warehouse)}".`);
  return flow;
}

/** The flow's wizard screens with the `region` select's options filled from the configuration. */
export function customerStepsFor(flow: FlowDefinition, config: FlowConfig): CustomerStep[] {
  return flow.customerSteps.map((step) => ({
    ...step,
    fields: step.fields.map((field) =>
      field.name === 'region' ? { ...field, options: config.eligibleRegions.map((r) => ({ value: r, label: r })) } : field,
    ),
  }));
}

export { DEFAULT_FLOW_CONFIG, getFlowConfig, type FlowConfig } from './config';
export type * from './types';
