import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { LiveUpdates } from '@/app/_components/live-updates';
import { StateBadge } from '@/app/_components/state-badge';
import { buttonClass } from '@/app/_components/ui/button';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { FilterSelect } from '@/app/_components/ui/filter-select';
import { formatAge } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listQueue } from '@/db/queries/cases';
import { caseListChangeTag } from '@/db/queries/changes';
import { listWorkspaceChoices } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';
import { getFlowConfig, warehouseName } from '@/lib/providers';
import { STATE_LABEL } from '@/lib/cases/states';
import { type CaseState, STAFF_QUEUE_STATES } from '@/lib/domain/case-states';
import { WAREHOUSES } from '@/lib/domain/warehouses';
import { AWS_REGION_PATTERN } from '@/lib/domain/aws-region';

export const metadata: Metadata = { title: 'Queue' };
export const dynamic = 'force-dynamic';

const WHO_ACTS: Partial<Record<CaseState, string>> = {
  submitted: 'CSM: accept or reject',
  ready_to_provision: 'CSM: request provisioning',
  pending_approval: 'Engineer (not the requester): approve',
  failed: 'Engineer: retry or decommission',
};

// Unknown or malformed filter values are ignored rather than failing the page.
const filterSchema = z.object({
  warehouse: z.enum(WAREHOUSES).optional().catch(undefined),
  region: z.string().regex(AWS_REGION_PATTERN).optional().catch(undefined),
  state: z
    .enum(STAFF_QUEUE_STATES as [CaseState, ...CaseState[]])
    .optional()
    .catch(undefined),
  workspace: z.string().uuid().optional().catch(undefined),
});

// /queue – cases waiting on staff, oldest first, with how long they have waited and who must act; filters in SQL.
export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('queue.view');
  const f = filterSchema.parse(await searchParams);
  // Before the rows: a case moving in between refreshes the queue once more rather than being missed.
  const tag = await caseListChangeTag(user, STAFF_QUEUE_STATES);
  const [rows, workspaces] = await Promise.all([
    listQueue({ warehouse: f.warehouse, region: f.region, state: f.state, workspaceId: f.workspace }),
    listWorkspaceChoices(),
  ]);
  const now = new Date();
  return (
    <>
      <PageHeader title="Work queue" description="Cases waiting on staff, oldest first." />
      <LiveUpdates src="/api/changes?list=queue" tag={tag} />
      <p className="sr-only" aria-live="polite">
        {rows.length === 1 ? '1 case waiting on staff' : `${rows.length} cases waiting on staff`}
      </p>
      <form
        method="get"
        className="mb-4 grid gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200 sm:grid-cols-5 sm:items-end"
        aria-label="Filter the queue"
      >
        <FilterSelect
          label="Warehouse"
          name="warehouse"
          value={f.warehouse}
          options={WAREHOUSES.map((w) => ({ value: w, label: warehouseName(w) }))}
        />
        <FilterSelect
          label="Region"
          name="region"
          value={f.region}
          options={getFlowConfig().eligibleRegions.map((r) => ({ value: r, label: r }))}
        />
        <FilterSelect
          label="State"
          name="state"
          value={f.state}
          allLabel="All waiting on staff"
          options={STAFF_QUEUE_STATES.map((st) => ({ value: st, label: STATE_LABEL[st] }))}
        />
        <FilterSelect
          label="Workspace"
          name="workspace"
          value={f.workspace}
          options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
        />
        <div className="flex gap-2">
          <button type="submit" className={buttonClass('primary')}>
            Filter
          </button>
          <Link href="/queue" className={buttonClass('secondary')}>
            Clear
          </Link>
        </div>
      </form>
      {rows.length === 0 ? (
        <EmptyState title="Nothing is waiting on staff">New submissions, approvals and failures appear here as they happen.</EmptyState>
      ) : (
        <Table caption="Cases waiting on staff" head={['Case', 'Workspace', 'Warehouse', 'Region', 'State', 'Who acts', 'Waiting']}>
          {rows.map((c) => (
            <tr key={c.id} data-testid="queue-row">
              <Td>
                <Link href={`/cases/${c.id}`} className="font-medium text-indigo-800 underline">
                  PL-{c.number}
                </Link>
              </Td>
              <Td>{c.workspaceName}</Td>
              <Td>{warehouseName(c.warehouse)}</Td>
              <Td>{c.region}</Td>
              <Td>
                <StateBadge state={c.state} />
              </Td>
              <Td>{WHO_ACTS[c.state] ?? '—'}</Td>
              <Td>{formatAge(c.updatedAt, now)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
