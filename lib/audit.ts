import 'server-only';
import type { Tx, Db } from '@/db/index';
import { auditLog } from '@/db/schema';

export interface AuditActor {
  id: string | null;
  email?: string | null;
  role: string;
}
export interface AuditContext {
  requestId?: string | null;
  sourceIp?: string | null;
  /** The API token the request came with (lib/tokens): kept in the row's `after` as `apiToken`, under the hash chain. */
  tokenId?: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId?: string | null;
  workspaceId?: string | null;
  before?: unknown;
  after?: unknown;
  context?: AuditContext;
}

/**
 * Append audit rows (docs/program-rules.md#audit-trail), several in one statement. Call it inside the transaction that
 * made the change.
 */
export async function writeAudit(db: Db | Tx, entries: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await auditInsert(db, list);
}

/**
 * The INSERT of audit rows, not yet sent: for a statement that writes its audit row itself, as a data-modifying WITH
 * (docs/design.md#applying-an-event). `writeAudit` sends it alone.
 */
export function auditInsert(db: Db | Tx, list: AuditInput[]) {
  return db.insert(auditLog).values(
    list.map((entry) => ({
      actorId: entry.actor.id,
      actorEmail: entry.actor.email ?? null,
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      workspaceId: entry.workspaceId ?? null,
      requestId: entry.context?.requestId ?? null,
      sourceIp: entry.context?.sourceIp ?? null,
      before: entry.before ?? null,
      after: withToken(entry.after ?? null, entry.context?.tokenId ?? null),
    })),
  );
}

function withToken(after: unknown, tokenId: string | null): unknown {
  if (!tokenId) return after;
  if (after && typeof after === 'object' && !Array.isArray(after)) return { ...after, apiToken: tokenId };
  return after === null ? { apiToken: tokenId } : { value: after, apiToken: tokenId };
}
