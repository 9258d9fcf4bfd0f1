/** The four warehouses a case can connect (docs/program-rules.md#the-four-flows). */
export const WAREHOUSES = ['databricks', 'rds_postgres', 'redshift', 'snowflake'] as const;
export type Warehouse = (typeof WAREHOUSES)[number];
