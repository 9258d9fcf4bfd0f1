CREATE TYPE "public"."message_audience" AS ENUM('customer', 'internal');--> statement-breakpoint
CREATE TABLE "case_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"audience" "message_audience" NOT NULL,
	"author_id" uuid,
	"author_role" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_messages" ADD CONSTRAINT "case_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_messages" ADD CONSTRAINT "case_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_messages_case_idx" ON "case_messages" USING btree ("case_id","audience","id");--> statement-breakpoint
-- hand-written: notes written before this migration were case_events rows (event "note") shown to the workspace's
-- members, so they move to the conversation as messages the customer sees; the timeline no longer lists them as states.
INSERT INTO "case_messages" ("case_id", "audience", "author_id", "author_role", "body", "created_at")
  SELECT "case_id", 'customer', "actor_id", "actor_role", "note", "created_at" FROM "case_events"
  WHERE "event" = 'note' AND "note" IS NOT NULL ORDER BY "id";--> statement-breakpoint
DELETE FROM "case_events" WHERE "event" = 'note';
