// GET /api/endpoints/export – the endpoint dashboard's rows (same filters and order) as CSV, streamed in batches.
import { type EndpointRow, iterateEndpoints } from '@/db/queries/endpoints';
import { endpointFilterSchema } from '@/lib/endpoint-filter';
import { writeAudit } from '@/lib/audit';
import { route } from '@/lib/auth/guard';
import { csvStream } from '@/lib/csv';
import { utcDay } from '@/lib/domain/utc-day';

const HEADER = [
  'endpoint_id',
  'case',
  'case_state',
  'workspace',
  'warehouse',
  'region',
  'az_ids',
  'aws_state',
  'dns_name',
  'service_name',
  'month_bytes',
  'monthly_limit_gib',
  'drift',
  'last_reconciled_at',
  'last_error',
  'created_at',
];

const toRow = (e: EndpointRow) => [
  e.awsId,
  `PL-${e.caseNumber}`,
  e.caseState,
  e.workspaceName,
  e.warehouse,
  e.region,
  e.azIds.join(' '),
  e.state,
  e.dnsName,
  e.serviceName,
  e.monthBytes,
  e.monthlyTransferLimitGib,
  e.drift.join('; '),
  e.lastReconciledAt,
  e.lastError,
  e.createdAt,
];

export const GET = route(
  { permission: 'endpoint.export', query: endpointFilterSchema },
  async (_req, { user, db, query, requestId, sourceIp }) => {
    await writeAudit(db, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'endpoint.export',
      targetType: 'endpoints',
      after: { filters: query },
      context: { requestId, sourceIp },
    });
    return new Response(
      csvStream(HEADER, () => iterateEndpoints(query), toRow, 'endpoint'),
      {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="endpoints-${utcDay(new Date())}.csv"`,
          'cache-control': 'no-store',
        },
      },
    );
  },
);
