// GET /api/audit/export?actor=&action=&workspace=&from=&to= – the filtered audit log as a CSV download, streamed.
import { auditCsvStream } from './csv';
import { writeAudit } from '@/lib/audit';
import { auditFilterSchema, toAuditFilter } from '@/lib/admin/audit-filter';
import { route } from '@/lib/auth/guard';

export const dynamic = 'force-dynamic';

export const GET = route(
  { permission: 'audit.export', query: auditFilterSchema },
  async (_req, { db, user, query, requestId, sourceIp }) => {
    const filter = toAuditFilter(query);
    // Reading the audit trail out of the portal is itself recorded (who, when, which filter):
    // docs/program-rules.md#audit-trail.
    await writeAudit(db, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'audit.export',
      targetType: 'audit_log',
      workspaceId: query.workspace ?? null,
      after: {
        actor: query.actor ?? null,
        action: query.action ?? null,
        workspace: query.workspace ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
      },
      context: { requestId, sourceIp },
    });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return new Response(auditCsvStream(filter, db), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${stamp}Z.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  },
);
