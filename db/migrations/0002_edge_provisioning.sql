CREATE SCHEMA "edge_sandbox";
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."dns_records" (
	"hosted_zone_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"ttl" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dns_records_hosted_zone_id_name_type_pk" PRIMARY KEY("hosted_zone_id","name","type")
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."endpoint_services" (
	"service_name" text PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"az_ids" text[] NOT NULL,
	"acceptance_required" boolean NOT NULL,
	"auto_accept" boolean DEFAULT true NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."faults" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation" text DEFAULT '*' NOT NULL,
	"kind" text NOT NULL,
	"remaining" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."redshift_authorizations" (
	"region" text NOT NULL,
	"grantor" text NOT NULL,
	"cluster_identifier" text NOT NULL,
	"grantee" text NOT NULL,
	"status" text NOT NULL,
	"vpc_ids" text[] NOT NULL,
	"cluster_port" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "redshift_authorizations_region_grantor_cluster_identifier_pk" PRIMARY KEY("region","grantor","cluster_identifier")
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."redshift_endpoints" (
	"region" text NOT NULL,
	"name" text NOT NULL,
	"cluster_identifier" text NOT NULL,
	"resource_owner" text NOT NULL,
	"subnet_group_name" text NOT NULL,
	"security_group_ids" text[] NOT NULL,
	"status" text NOT NULL,
	"state_since" timestamp with time zone NOT NULL,
	"address" text NOT NULL,
	"port" integer NOT NULL,
	"vpc_endpoint_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "redshift_endpoints_region_name_pk" PRIMARY KEY("region","name")
);
--> statement-breakpoint
CREATE TABLE "edge_sandbox"."vpc_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"service_name" text NOT NULL,
	"vpc_id" text NOT NULL,
	"state" text NOT NULL,
	"state_since" timestamp with time zone NOT NULL,
	"subnet_ids" text[] NOT NULL,
	"az_ids" text[] NOT NULL,
	"security_group_ids" text[] NOT NULL,
	"dns_name" text NOT NULL,
	"client_token" text,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"traffic_gib_per_day" double precision,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "usage_alerts" (
	"workspace_id" uuid NOT NULL,
	"month" date NOT NULL,
	"threshold" integer NOT NULL,
	"month_bytes" bigint NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_alerts_workspace_id_month_threshold_pk" PRIMARY KEY("workspace_id","month","threshold"),
	CONSTRAINT "usage_alerts_threshold_known" CHECK ("usage_alerts"."threshold" in (80, 100))
);
--> statement-breakpoint
ALTER TABLE "endpoints" ADD COLUMN "vpc_endpoint_id" text;--> statement-breakpoint
ALTER TABLE "usage_alerts" ADD CONSTRAINT "usage_alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_vpc_endpoints_client_token" ON "edge_sandbox"."vpc_endpoints" USING btree ("region","client_token");--> statement-breakpoint
CREATE INDEX "sandbox_vpc_endpoints_case_tag" ON "edge_sandbox"."vpc_endpoints" USING btree (("tags"->>'portal:case-id'));