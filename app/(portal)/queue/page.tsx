import type { Metadata } from 'next';
import Link from 'next/link';
import { StateBadge } from '@/app/_components/state-badge';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatAge } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { WAREHOUSE_NAME } from '@/app/_components/warehouse-name';
import { listQueue } from '@/db/queries/cases';
import { requirePageUser } from '@/lib/auth/session';
import type { CaseState } from '@/lib/cases/states';

export const metadata: Metadata = { title: 'Queue' };
export const dynamic = 'force-dynamic';

const WHO_ACTS: Partial<Record<CaseState, string>> = {
  submitted: 'CSM: accept or reject',
  ready_to_provision: 'CSM: request provisioning',
  pending_approval: 'Engineer (not the requester): approve',
  failed: 'Engineer: retry or decommission',
};

// /queue – cases waiting on staff, oldest first, with how long they have waited.
export default async function QueuePage() {
  await requirePageUser('queue.view');
  const rows = await listQueue();
  const now = new Date();
  return (
    <>
      <PageHeader title="Work queue" description="Cases waiting on staff, oldest first." />
      {rows.length === 0 ? (
        <EmptyState title="Nothing is waiting on staff">New submissions, approvals and failures appear here as they happen.</EmptyState>
      ) : (
        <Table caption="Cases waiting on staff" head={['Case', 'Workspace', 'Warehouse', 'Region', 'State', 'Who acts', 'Waiting']}>
          {rows.map((c) => (
            <tr key={c.id}>
              <Td><Link href={`/cases/${c.id}`} className="font-medium text-indigo-800 underline">PL-{c.number}</Link></Td>
              <Td>{c.workspaceName}</Td>
              <Td>{WAREHOUSE_NAME[c.warehouse]}</Td>
              <Td>{c.region}</Td>
              <Td><StateBadge state={c.state} /></Td>
              <Td>{WHO_ACTS[c.state] ?? '—'}</Td>
              <Td>{formatAge(c.updatedAt, now)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
