ALTER TABLE "cases" ALTER COLUMN "warehouse" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "public"."warehouse";