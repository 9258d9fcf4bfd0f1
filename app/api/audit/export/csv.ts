import type { Db } from '@/db/index';
import { type AuditFilter, type AuditRow, iterateAudit } from '@/db/queries/audit';
import { csvStream } from '@/lib/csv';

export const AUDIT_CSV_HEADER = [
  'id',
  'at_utc',
  'actor_email',
  'actor_role',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'workspace',
  'workspace_id',
  'request_id',
  'source_ip',
  'before',
  'after',
];

function auditCsvRow(r: AuditRow): unknown[] {
  return [
    r.id,
    r.at,
    r.actorEmail,
    r.actorRole,
    r.actorId,
    r.action,
    r.targetType,
    r.targetId,
    r.workspaceName,
    r.workspaceId,
    r.requestId,
    r.sourceIp,
    r.before,
    r.after,
  ];
}

/** The filtered audit log as CSV, newest first, streamed from the database a batch at a time. */
export function auditCsvStream(filter: AuditFilter, db?: Db): ReadableStream<Uint8Array> {
  return csvStream(AUDIT_CSV_HEADER, () => iterateAudit(filter, db), auditCsvRow, 'audit');
}
