import Link from 'next/link';
import { formatDateTime } from '@/app/_components/ui/format';
import { Table, Td } from '@/app/_components/ui/table';
import type { AuditRow } from '@/db/queries/audit';

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <div>
      <p className="text-xs font-semibold text-slate-700">{label}</p>
      <pre className="mt-0.5 max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs text-slate-900">
        {JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

/** Audit rows, newest first; before/after open on demand. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <Table caption="Audit log entries" head={['When (UTC)', 'Actor', 'Action', 'Target', 'Workspace', 'Source', 'Change']}>
      {rows.map((r) => (
        <tr key={r.id} data-testid="audit-row">
          <Td>
            <span className="whitespace-nowrap">{formatDateTime(r.at)}</span>
          </Td>
          <Td>
            <span className="[overflow-wrap:anywhere]">
              {r.actorEmail ?? (r.actorRole === 'reconciler' ? 'Provisioning service' : 'System')}
            </span>
            <p className="text-xs text-slate-700">{r.actorRole}</p>
          </Td>
          <Td>
            <span className="font-mono text-xs">{r.action}</span>
          </Td>
          <Td>
            {r.targetType}
            {r.targetId && r.targetType === 'case' ? (
              <p className="text-xs">
                <Link href={`/cases/${r.targetId}`} className="font-mono text-indigo-800 underline" title={r.targetId}>
                  {r.caseNumber ? `PL-${r.caseNumber}` : r.targetId.slice(0, 13)}
                </Link>
              </p>
            ) : r.targetId ? (
              <p className="font-mono text-xs text-slate-700" title={r.targetId}>
                {r.targetId.slice(0, 13)}
              </p>
            ) : null}
          </Td>
          <Td>{r.workspaceName ?? '—'}</Td>
          <Td>
            {r.sourceIp ?? '—'}
            {r.requestId ? (
              <p className="font-mono text-xs text-slate-700" title={r.requestId}>
                req {r.requestId.slice(0, 8)}
              </p>
            ) : null}
          </Td>
          <Td>
            {r.before !== null || r.after !== null ? (
              <details>
                <summary className="cursor-pointer text-sm font-medium text-indigo-800">Show</summary>
                <div className="mt-2 space-y-2">
                  <Json label="Before" value={r.before} />
                  <Json label="After" value={r.after} />
                </div>
              </details>
            ) : (
              '—'
            )}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
