import type { Metadata } from 'next';
import { z } from 'zod';
import { PageHeader } from '@/app/_components/ui/page-header';
import { buttonClass } from '@/app/_components/ui/button';
import { getDb } from '@/db/index';
import { getMonthUsage } from '@/db/queries/usage';
import { getWorkspaceUsage, listWorkspaceChoices } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';
import { describeUsage } from '@/lib/limits';
import { UsageChart } from './_components/usage-chart';
import { reachableWorkspace } from '@/lib/domain/roles';

export const metadata: Metadata = { title: 'Usage' };
export const dynamic = 'force-dynamic';

// /usage – a workspace's PrivateLink transfer this month: daily bytes, running total, the limit and a projection.
// Customers always see their own workspace (a ?workspace= for another one is ignored); staff choose.
export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('usage.view');
  const asked = z
    .string()
    .uuid()
    .optional()
    .catch(undefined)
    .parse((await searchParams).workspace);
  // Staff pick any workspace (the first by default); a customer always sees their own, whatever the URL says.
  const reach = reachableWorkspace(user);
  const staff = reach === 'all';
  const workspaces = staff ? await listWorkspaceChoices() : [];
  const workspaceId = staff ? (asked ?? workspaces[0]?.id) : reach;
  const now = new Date();
  const [daily, usage] = workspaceId
    ? await Promise.all([getMonthUsage(workspaceId, now), getWorkspaceUsage(await getDb(), workspaceId, { now })])
    : [[], null];
  const name = staff ? workspaces.find((w) => w.id === workspaceId)?.name : null;
  return (
    <>
      <PageHeader
        title={`PrivateLink usage${name ? ` · ${name}` : ''}`}
        description={`Transfer over all of the workspace's PrivateLink endpoints in ${now.toISOString().slice(0, 7)} (UTC; 1 GB = 2^30 bytes, as AWS bills).`}
      />
      {staff ? (
        <form method="get" className="mb-4 flex items-end gap-2">
          <label className="text-sm font-medium text-slate-900">
            Workspace
            <select
              name="workspace"
              defaultValue={workspaceId ?? ''}
              className="mt-1 block rounded-md border border-slate-400 px-2 py-1.5 text-sm"
            >
              {workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClass('secondary')}>
            Show
          </button>
        </form>
      ) : null}
      {usage ? (
        <p className="mb-4 text-sm text-slate-800">
          {describeUsage(usage).endpoints} · {describeUsage(usage).transfer}
        </p>
      ) : null}
      {workspaceId && usage ? (
        <UsageChart daily={daily} todayIndex={now.getUTCDate() - 1} limitGib={usage.monthlyTransferLimitGib} />
      ) : (
        <p>No workspace.</p>
      )}
    </>
  );
}
