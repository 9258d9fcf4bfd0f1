/**
 * The registry of warehouse flows. Adding a warehouse: one file in this folder and one line here
 * (docs/design.md#flows-and-the-registry).
 */
import type { FlowConfig } from './config';
import type { CustomerStep, FlowDefinition } from './types';
import { databricksFlow } from './databricks';
import { rdsPostgresFlow } from './rds-postgres';
import { redshiftFlow } from './redshift';
import { snowflakeFlow } from './snowflake';
import type { Warehouse } from '@/lib/domain/warehouses';

/** Every flow by its warehouse key. Read it through getFlow() / FLOW_LIST; add to it only with registerFlow(). */
export const FLOWS = {} as Record<Warehouse, FlowDefinition>;

/** The flows in the order they were registered (the warehouse cards, the filters). */
export const FLOW_LIST: FlowDefinition[] = [];

const WAREHOUSE_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Add a flow to the registry. A key that is malformed or already taken is a programming error, so it throws. */
function registerFlow(flow: FlowDefinition): void {
  if (!WAREHOUSE_KEY.test(flow.warehouse)) throw new Error(`Warehouse key "${flow.warehouse}" must match ${WAREHOUSE_KEY}.`);
  if (Object.hasOwn(FLOWS, flow.warehouse)) throw new Error(`A flow for warehouse "${flow.warehouse}" is already registered.`);
  FLOWS[flow.warehouse] = flow;
  FLOW_LIST.push(flow);
}

registerFlow(databricksFlow);
registerFlow(rdsPostgresFlow);
registerFlow(redshiftFlow);
registerFlow(snowflakeFlow);

export function getFlow(warehouse: Warehouse): FlowDefinition {
  if (!Object.hasOwn(FLOWS, warehouse)) throw new Error(`No PrivateLink flow for warehouse "${String(warehouse)}".`);
  return FLOWS[warehouse];
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
