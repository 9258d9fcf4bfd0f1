import { sql } from 'drizzle-orm';
import type { Db } from '@/db/index';

/**
 * Proof that the audit log is whole (docs/threat-model.md#a-tamper-evident-audit-log): recompute every row's hash from
 * its content and the previous row's hash, in chain order, and name the first row where the chain breaks. The
 * expression is written here again rather than calling the database's own function, so replacing that function
 * cannot make a changed row look right.
 */
export type ChainVerdict =
  | { ok: true; rows: number; head: string | null }
  | { ok: false; rows: number; id: number; seq: number | null; problem: 'content' | 'link' | 'gap' | 'unchained' };

const ZERO = '0'.repeat(64);

export async function verifyAuditChain(db: Db): Promise<ChainVerdict> {
  const result = await db.execute(sql`
    with r as (
      select id, seq, hash, prev_hash,
        encode(sha256(convert_to(prev_hash || jsonb_build_array(
          seq, (extract(epoch from at) * 1000000)::bigint, actor_id, actor_email, actor_role, action,
          target_type, target_id, workspace_id, request_id, source_ip, before, after
        )::text, 'UTF8')), 'hex') as expected,
        lag(hash) over (order by seq) as prev_actual,
        lag(seq) over (order by seq) as prev_seq
      from audit_log
    )
    select id::text, seq::text,
      case
        when seq is null then 'unchained'
        when seq <> coalesce(prev_seq, 0) + 1 then 'gap'
        when prev_hash is distinct from coalesce(prev_actual, ${ZERO}) then 'link'
        when hash is distinct from expected then 'content'
      end as problem
    from r
    where seq is null or seq <> coalesce(prev_seq, 0) + 1
      or prev_hash is distinct from coalesce(prev_actual, ${ZERO}) or hash is distinct from expected
    order by seq nulls first
    limit 1`);
  const rows = (result as unknown as { rows: { id: string; seq: string | null; problem: string }[] }).rows;
  const counted = await db.execute(
    sql`select count(*)::text as n, (select hash from audit_log order by seq desc nulls last limit 1) as head from audit_log`,
  );
  const { n, head } = (counted as unknown as { rows: { n: string; head: string | null }[] }).rows[0]!;
  const bad = rows[0];
  if (!bad) return { ok: true, rows: Number(n), head };
  return {
    ok: false,
    rows: Number(n),
    id: Number(bad.id),
    seq: bad.seq === null ? null : Number(bad.seq),
    problem: bad.problem as 'content' | 'link' | 'gap' | 'unchained',
  };
}
