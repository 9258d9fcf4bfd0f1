import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/app/_components/ui/page-header';
import { getDb } from '@/db/index';
import { listCasesForUser } from '@/db/queries/cases';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';
import { getFlowConfig, warehouseName } from '@/lib/providers';
import { describeUsage, limitRefusal } from '@/lib/limits';
import { FLOW_LIST } from '@/lib/providers';
import { WarehouseCards } from './_components/warehouse-cards';

export const metadata: Metadata = { title: 'New PrivateLink connection' };
export const dynamic = 'force-dynamic';

// /cases/new – choose a warehouse; the workspace's beta usage is shown up front and a full workspace cannot start.
export default async function NewCasePage() {
  const user = await requirePageUser('case.create');
  const db = await getDb();
  const [usage, mine] = await Promise.all([getWorkspaceUsage(db, user.workspaceId!), listCasesForUser(user)]);
  const summary = usage ? describeUsage(usage) : null;
  const blocked = usage ? limitRefusal(usage) : 'Your account has no workspace.';
  const drafts = mine.filter((c) => c.state === 'draft');
  return (
    <>
      <PageHeader
        title="New PrivateLink connection"
        description="Choose the warehouse to reach over AWS PrivateLink. The setup guides you one step at a time and saves as you go."
      />
      {summary ? (
        <p className="mb-4 rounded-md bg-white p-3 text-sm text-slate-800 ring-1 ring-slate-200" data-testid="beta-usage">
          Private beta: {summary.endpoints} used · {summary.transfer}
        </p>
      ) : null}
      {blocked ? (
        <div id="limit-reason" role="status" className="mb-6 rounded-md bg-amber-50 p-4 text-sm text-amber-950 ring-1 ring-amber-300">
          <p className="font-semibold">You cannot start a new connection right now</p>
          <p className="mt-1">{blocked}</p>
        </div>
      ) : null}
      {drafts.length > 0 ? (
        <section aria-labelledby="drafts-heading" className="mb-6">
          <h2 id="drafts-heading" className="text-sm font-semibold text-slate-900">
            Drafts in progress
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {drafts.map((d) => (
              <li key={d.id}>
                <Link className="font-medium text-indigo-800 underline" href={`/cases/${d.id}/setup`}>
                  Resume PL-{d.number}: {warehouseName(d.warehouse)} in {d.region}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <WarehouseCards
        cards={FLOW_LIST.map((f) => ({ warehouse: f.warehouse, name: f.name, summary: f.summary, needs: f.needs }))}
        regions={getFlowConfig().eligibleRegions}
        blockedReason={blocked}
      />
    </>
  );
}
