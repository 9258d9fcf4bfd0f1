import type { Warehouse } from '@/lib/domain/warehouses';

export const WAREHOUSE_NAME: Record<Warehouse, string> = {
  databricks: 'Databricks',
  rds_postgres: 'RDS Postgres',
  redshift: 'Redshift',
  snowflake: 'Snowflake',
};
