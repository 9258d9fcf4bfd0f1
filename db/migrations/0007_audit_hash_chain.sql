ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
-- The hash chain (docs/threat-model.md#a-tamper-evident-audit-log). Each row's hash covers its content and the
-- previous row's hash, so changing, removing or reordering a row breaks every hash after it; `npm run audit:verify`
-- recomputes the chain with its own copy of this expression (lib/audit-chain.ts), not with this function. The content
-- is a JSON array of every column, which PostgreSQL prints the same way each time.
CREATE OR REPLACE FUNCTION audit_log_content(r audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(
    r.seq, (extract(epoch FROM r.at) * 1000000)::bigint, r.actor_id, r.actor_email, r.actor_role, r.action,
    r.target_type, r.target_id, r.workspace_id, r.request_id, r.source_ip, r.before, r.after
  )::text
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- One writer at a time extends the chain: the lock is held until this transaction ends, and the next writer reads
  -- the head only once it has the lock (a new snapshot per statement), so it sees this row if it committed.
  PERFORM pg_advisory_xact_lock(724101);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  NEW.seq := COALESCE(last_seq, 0) + 1;
  NEW.prev_hash := COALESCE(last_hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || audit_log_content(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Rows written before the chain existed join it in id order (the append-only trigger is paused for this one update).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  n bigint := 0;
  h text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    r.seq := n;
    r.prev_hash := h;
    h := encode(sha256(convert_to(h || audit_log_content(r), 'UTF8')), 'hex');
    UPDATE audit_log SET seq = n, prev_hash = r.prev_hash, hash = h WHERE id = r.id;
  END LOOP;
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
CREATE TRIGGER audit_log_hash_chain
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
