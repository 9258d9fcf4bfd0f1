CREATE TABLE "edge_sandbox"."traffic_bursts" (
	"vpc_endpoint_id" text NOT NULL,
	"day" date NOT NULL,
	"bytes" bigint NOT NULL,
	CONSTRAINT "traffic_bursts_vpc_endpoint_id_day_pk" PRIMARY KEY("vpc_endpoint_id","day"),
	CONSTRAINT "sandbox_traffic_bursts_bytes_nonnegative" CHECK ("edge_sandbox"."traffic_bursts"."bytes" >= 0)
);
--> statement-breakpoint
ALTER TABLE "edge_sandbox"."traffic_bursts" ADD CONSTRAINT "traffic_bursts_vpc_endpoint_id_vpc_endpoints_id_fk" FOREIGN KEY ("vpc_endpoint_id") REFERENCES "edge_sandbox"."vpc_endpoints"("id") ON DELETE no action ON UPDATE no action;