ALTER TABLE "cases" ADD COLUMN "claims" text[];--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "claims_version" integer;--> statement-breakpoint
CREATE INDEX "cases_claims_idx" ON "cases" USING gin ("claims") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "cases_claims_unknown_idx" ON "cases" USING btree ("region") WHERE "cases"."claims" is null;--> statement-breakpoint
-- cases.claims is computed by the app from the inputs (lib/cases/claims.ts claimKeys) and stamped with the case
-- version in claims_version. An update that changes the inputs without a new stamp (a hand-written UPDATE, say)
-- leaves the claims unknown (null) rather than stale, so a claim is never missed: a case with unknown claims is read
-- and checked from its inputs (docs/design.md#names-have-one-owner).
CREATE OR REPLACE FUNCTION cases_claims_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.inputs IS DISTINCT FROM OLD.inputs AND NEW.claims_version IS NOT DISTINCT FROM OLD.claims_version THEN
    NEW.claims := NULL;
    NEW.claims_version := NULL;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER cases_claims_forget BEFORE UPDATE OF inputs ON cases FOR EACH ROW EXECUTE FUNCTION cases_claims_forget();
