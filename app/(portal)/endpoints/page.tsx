import type { Metadata } from 'next';
import { Badge } from '@/app/_components/ui/badge';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { WAREHOUSE_NAME } from '@/app/_components/warehouse-name';
import { listEndpoints } from '@/db/queries/endpoints';
import { requirePageUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Endpoints' };
export const dynamic = 'force-dynamic';

// /endpoints – every VPC endpoint in the edge account, newest first.
export default async function EndpointsPage() {
  await requirePageUser('endpoint.view');
  const rows = await listEndpoints();
  return (
    <>
      <PageHeader title="Edge endpoints" description="Every PrivateLink VPC endpoint the portal manages in the edge account." />
      {rows.length === 0 ? (
        <EmptyState title="No endpoints in the edge account yet">
          Endpoints appear here once a case is approved and the reconciler creates them.
        </EmptyState>
      ) : (
        <Table caption="Edge endpoints" head={['Endpoint', 'Workspace', 'Warehouse', 'Region', 'AZ IDs', 'State', 'DNS name', 'Last reconcile']}>
          {rows.map((e) => (
            <tr key={e.id}>
              <Td><span className="font-mono text-xs">{e.awsId ?? '—'}</span> <span className="text-slate-600">PL-{e.caseNumber}</span></Td>
              <Td>{e.workspaceName}</Td>
              <Td>{WAREHOUSE_NAME[e.warehouse]}</Td>
              <Td>{e.region}</Td>
              <Td>{e.azIds.join(', ') || '—'}</Td>
              <Td><Badge tone={e.state === 'available' || e.state === 'active' ? 'success' : e.lastError ? 'danger' : 'info'}>{e.state}</Badge></Td>
              <Td><span className="font-mono text-xs break-all">{e.dnsName ?? '—'}</span></Td>
              <Td>{e.lastReconciledAt ? formatDateTime(e.lastReconciledAt) : '—'}{e.lastError ? <p className="text-red-800">{e.lastError}</p> : null}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
