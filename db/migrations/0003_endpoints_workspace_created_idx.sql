DROP INDEX "endpoints_workspace_idx";--> statement-breakpoint
CREATE INDEX "endpoints_workspace_created_idx" ON "endpoints" USING btree ("workspace_id","created_at");