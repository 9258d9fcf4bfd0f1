CREATE TABLE "edge_sandbox"."dns_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."iam_roles" (
	"name" text PRIMARY KEY NOT NULL,
	"arn" text NOT NULL,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."redshift_clusters" (
	"region" text NOT NULL,
	"account" text NOT NULL,
	"cluster_identifier" text NOT NULL,
	"workspace_id" uuid,
	"node_type" text DEFAULT 'ra3.xlplus' NOT NULL,
	"relocation_enabled" boolean DEFAULT true NOT NULL,
	"port" integer DEFAULT 5439 NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "redshift_clusters_region_account_cluster_identifier_pk" PRIMARY KEY("region","account","cluster_identifier")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "preflight" jsonb;--> statement-breakpoint
ALTER TABLE "dns_records" ADD COLUMN "change_id" text;--> statement-breakpoint
ALTER TABLE "dns_records" ADD COLUMN "in_sync_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "edge_sandbox"."endpoint_services" ADD COLUMN "allowed_principals" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "edge_sandbox"."endpoint_services" ADD COLUMN "workspace_id" uuid;--> statement-breakpoint
ALTER TABLE "edge_sandbox"."redshift_authorizations" ADD COLUMN "allowed_all_vpcs" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "edge_sandbox"."vpc_endpoints" ADD COLUMN "requester_arn" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "auto_request_provisioning" boolean DEFAULT true NOT NULL;