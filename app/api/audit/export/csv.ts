import type { Db } from '@/db/index';
import { type AuditRow, iterateAudit } from '@/db/queries/audit';
import type { AuditFilter } from '@/lib/admin/audit-filter';

// CSV for the audit export (RFC 4180), safe to open in a spreadsheet. Not endpoint-specific: it can move to lib/
// when a second export wants it.

// A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP "CSV injection"): an actor
// e-mail or a note like "=HYPERLINK(…)" would run. A leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: text made formula-safe, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) s = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  else if (typeof value === 'string') s = value;
  else s = JSON.stringify(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export const AUDIT_CSV_HEADER = [
  'id', 'at_utc', 'actor_email', 'actor_role', 'actor_id', 'action', 'target_type', 'target_id', 'workspace', 'workspace_id',
  'request_id', 'source_ip', 'before', 'after',
];

function auditCsvRow(r: AuditRow): unknown[] {
  return [r.id, r.at, r.actorEmail, r.actorRole, r.actorId, r.action, r.targetType, r.targetId, r.workspaceName, r.workspaceId,
    r.requestId, r.sourceIp, r.before, r.after];
}

/**
 * The filtered audit log as a CSV byte stream: the header, then rows newest first, read from the database a batch at
 * a time as the client consumes them (pull-based: a slow download does not pile rows up in memory).
 */
export function auditCsvStream(filter: AuditFilter, db?: Db): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<AuditRow[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_HEADER)));
    },
    async pull(controller) {
      batches ??= iterateAudit(filter, db);
      try {
        const next = await batches.next();
        if (next.done) { controller.close(); return; }
        controller.enqueue(encoder.encode(next.value.map((r) => csvLine(auditCsvRow(r))).join('')));
      } catch (err) {
        // Headers are already sent: the only honest signal left is to abort the download (the browser shows it failed).
        console.error('[audit export] failed mid-stream:', err);
        controller.error(new Error('The audit export failed part-way; try again.'));
      }
    },
    async cancel() {
      await batches?.return(undefined);
    },
  });
}
