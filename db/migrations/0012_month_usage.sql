CREATE TABLE "usage_monthly" (
	"endpoint_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"month" date NOT NULL,
	"bytes" bigint NOT NULL,
	CONSTRAINT "usage_monthly_endpoint_id_month_pk" PRIMARY KEY("endpoint_id","month"),
	CONSTRAINT "usage_monthly_bytes_nonnegative" CHECK ("usage_monthly"."bytes" >= 0)
);
--> statement-breakpoint
ALTER TABLE "usage_monthly" ADD CONSTRAINT "usage_monthly_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_monthly" ADD CONSTRAINT "usage_monthly_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_monthly_month_bytes_idx" ON "usage_monthly" USING btree ("month","bytes","endpoint_id");--> statement-breakpoint
CREATE INDEX "usage_monthly_workspace_month_idx" ON "usage_monthly" USING btree ("workspace_id","month");--> statement-breakpoint
-- usage_monthly is usage_daily summed per endpoint and UTC month (docs/design.md#usage). Statement-level triggers with
-- transition tables keep it in the transaction that writes the days, whoever writes them, one upsert per statement.
-- A trigger with transition tables may have one event only, so there are three triggers on one function.
CREATE OR REPLACE FUNCTION usage_monthly_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO usage_monthly (endpoint_id, workspace_id, month, bytes)
      SELECT endpoint_id, (array_agg(workspace_id))[1], date_trunc('month', day::timestamp)::date, sum(bytes)
      FROM usage_daily_new GROUP BY endpoint_id, date_trunc('month', day::timestamp)::date
      ON CONFLICT (endpoint_id, month) DO UPDATE SET bytes = usage_monthly.bytes + excluded.bytes;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO usage_monthly (endpoint_id, workspace_id, month, bytes)
      SELECT endpoint_id, (array_agg(workspace_id))[1], month, sum(bytes)
      FROM (
        SELECT endpoint_id, workspace_id, date_trunc('month', day::timestamp)::date AS month, bytes FROM usage_daily_new
        UNION ALL
        SELECT endpoint_id, workspace_id, date_trunc('month', day::timestamp)::date, -bytes FROM usage_daily_old
      ) d
      GROUP BY endpoint_id, month
      ON CONFLICT (endpoint_id, month) DO UPDATE SET bytes = usage_monthly.bytes + excluded.bytes;
  ELSE
    UPDATE usage_monthly m SET bytes = m.bytes - d.bytes
      FROM (
        SELECT endpoint_id, date_trunc('month', day::timestamp)::date AS month, sum(bytes) AS bytes
        FROM usage_daily_old GROUP BY 1, 2
      ) d
      WHERE m.endpoint_id = d.endpoint_id AND m.month = d.month;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER usage_monthly_on_insert AFTER INSERT ON usage_daily
  REFERENCING NEW TABLE AS usage_daily_new
  FOR EACH STATEMENT EXECUTE FUNCTION usage_monthly_apply();
--> statement-breakpoint
CREATE TRIGGER usage_monthly_on_update AFTER UPDATE ON usage_daily
  REFERENCING OLD TABLE AS usage_daily_old NEW TABLE AS usage_daily_new
  FOR EACH STATEMENT EXECUTE FUNCTION usage_monthly_apply();
--> statement-breakpoint
CREATE TRIGGER usage_monthly_on_delete AFTER DELETE ON usage_daily
  REFERENCING OLD TABLE AS usage_daily_old
  FOR EACH STATEMENT EXECUTE FUNCTION usage_monthly_apply();
--> statement-breakpoint
-- Backfill from the days already stored.
INSERT INTO usage_monthly (endpoint_id, workspace_id, month, bytes)
  SELECT endpoint_id, (array_agg(workspace_id))[1], date_trunc('month', day::timestamp)::date, sum(bytes)
  FROM usage_daily GROUP BY endpoint_id, date_trunc('month', day::timestamp)::date;
