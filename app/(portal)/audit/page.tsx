import type { Metadata } from 'next';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listAudit } from '@/db/queries/audit';
import { requirePageUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

// /audit – the append-only audit log, newest first (read only: the database refuses changes).
export default async function AuditPage() {
  await requirePageUser('audit.view');
  const rows = await listAudit(100);
  return (
    <>
      <PageHeader title="Audit log" description="Every administrative and security-relevant action, newest first. Entries cannot be changed or deleted." />
      <Table caption="Audit log" head={['When', 'Actor', 'Role', 'Action', 'Target', 'Source']}>
        {rows.map((r) => (
          <tr key={r.id}>
            <Td>{formatDateTime(r.at)}</Td>
            <Td>{r.actorEmail ?? 'system'}</Td>
            <Td>{r.actorRole}</Td>
            <Td><span className="font-mono text-xs">{r.action}</span></Td>
            <Td>{r.targetType}{r.targetId ? <span className="ml-1 font-mono text-xs text-slate-600">{r.targetId.slice(0, 8)}</span> : null}</Td>
            <Td>{r.sourceIp ?? '—'}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
