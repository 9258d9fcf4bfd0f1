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

/**
 * A registered flow. `Warehouse` names the program's four for the compiler; at run time a warehouse is the key of any
 * registered flow, so code reads flows through the registry and never lists the keys itself.
 */
type RegisteredFlow = FlowDefinition & { warehouse: Warehouse };

/** Every flow by its warehouse key. Read it through getFlow() / FLOW_LIST; add to it only with registerFlow(). */
export const FLOWS = {} as Record<Warehouse, RegisteredFlow>;

/** The flows in the order they were registered (the warehouse cards, the filters). */
export const FLOW_LIST: RegisteredFlow[] = [];

const WAREHOUSE_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Add a flow to the registry. A key that is malformed or already taken is a programming error, so it throws. */
export function registerFlow(flow: FlowDefinition): void {
  if (!WAREHOUSE_KEY.test(flow.warehouse)) throw new Error(`Warehouse key "${flow.warehouse}" must match ${WAREHOUSE_KEY}.`);
  if (Object.hasOwn(FLOWS, flow.warehouse)) throw new Error(`A flow for warehouse "${flow.warehouse}" is already registered.`);
  const registered = flow as RegisteredFlow;
  FLOWS[registered.warehouse] = registered;
  FLOW_LIST.push(registered);
}

registerFlow(databricksFlow);
registerFlow(rdsPostgresFlow);
registerFlow(redshiftFlow);
registerFlow(snowflakeFlow);

/** Whether a value is the key of a registered flow: validate warehouses with this, when the input arrives. */
export function isWarehouse(value: unknown): value is Warehouse {
  return typeof value === 'string' && Object.hasOwn(FLOWS, value);
}

export function getFlow(warehouse: string): FlowDefinition {
  if (!isWarehouse(warehouse)) throw new Error(`No PrivateLink flow for warehouse "${String(warehouse)}".`);
  return FLOWS[warehouse];
}

/** The warehouse's name as people read it ("RDS Postgres"), from its flow. */
export function warehouseName(warehouse: Warehouse): string {
  return getFlow(warehouse).name;
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
