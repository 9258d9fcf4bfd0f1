import type { Metadata } from 'next';
import { warehouseName } from '@/lib/providers';
import { z } from 'zod';
import { PageHeader } from '@/app/_components/ui/page-header';
import { buttonClass } from '@/app/_components/ui/button';
import { getDb } from '@/db/index';
import Link from 'next/link';
import { StateBadge } from '@/app/_components/state-badge';
import { formatGb } from '@/app/_components/ui/format';
import { Table, Td } from '@/app/_components/ui/table';
import { getMonthUsage, listEndpointMonthUsage } from '@/db/queries/usage';
import { roleAllows } from '@/lib/auth/policy';
import { edgeProviderName } from '@/lib/cloud';
import { getSandboxTraffic } from '@/lib/cloud/sandbox-controls';
import { TrafficControl } from './_components/traffic-control';
import { getWorkspaceUsage, listWorkspaceChoices } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';
import { describeUsage } from '@/lib/limits';
import { UsageChart } from './_components/usage-chart';
import { reachableWorkspace } from '@/lib/domain/roles';

export const metadata: Metadata = { title: 'Usage' };
export const dynamic = 'force-dynamic';

// /usage – a workspace's PrivateLink transfer this month: daily bytes, running total, the limit and a projection,
// and each endpoint's share; in the sandbox, engineers set the endpoints' simulated traffic here.
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
  const db = await getDb();
  const [daily, usage, perEndpoint] = workspaceId
    ? await Promise.all([
        getMonthUsage(workspaceId, now),
        getWorkspaceUsage(db, workspaceId, { now }),
        listEndpointMonthUsage(workspaceId, now),
      ])
    : [[], null, []];
  const sandbox = edgeProviderName() === 'sandbox';
  const canSetTraffic = sandbox && roleAllows(user.role, 'sandbox.set_traffic');
  const live = perEndpoint.filter((e) => !e.deletedAt && e.awsId);
  const traffic = canSetTraffic
    ? await getSandboxTraffic(
        db,
        live.map((e) => e.awsId!),
        now,
      )
    : new Map();
  const total = perEndpoint.reduce((s, e) => s + e.bytes, 0);
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
      {workspaceId && usage ? (
        <section aria-labelledby="by-endpoint" className="mt-8">
          <h2 id="by-endpoint" className="mb-2 text-lg font-semibold text-slate-900">
            By endpoint
          </h2>
          {perEndpoint.length === 0 ? (
            <p className="text-sm text-slate-700">No endpoints in this workspace yet: transfer shows here once a case is active.</p>
          ) : (
            <Table caption="Transfer this month by endpoint" head={['Endpoint', 'Case', 'This month', 'Share']}>
              {perEndpoint.map((e) => (
                <tr key={e.id} data-testid="usage-endpoint-row">
                  <Td>
                    <span className="font-mono text-xs">{e.awsId ?? '—'}</span>
                    {e.deletedAt ? <p className="text-xs text-slate-700">removed {e.deletedAt.toISOString().slice(0, 10)}</p> : null}
                  </Td>
                  <Td>
                    <Link href={`/cases/${e.caseId}`} className="text-indigo-800 underline">
                      PL-{e.caseNumber}
                    </Link>{' '}
                    {warehouseName(e.warehouse)} <StateBadge state={e.caseState} />
                  </Td>
                  <Td>{formatGb(e.bytes)} GB</Td>
                  <Td>{total > 0 ? `${Math.round((e.bytes / total) * 100)} %` : '—'}</Td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      ) : null}
      {workspaceId && sandbox ? (
        <section
          aria-labelledby="sandbox-traffic"
          className="mt-8 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300"
          data-testid="sandbox-traffic"
        >
          <h2 id="sandbox-traffic" className="text-lg font-semibold text-amber-950">
            Sandbox: simulated traffic
          </h2>
          <p className="mt-1 text-sm text-amber-950">
            The sandbox edge account carries no real traffic: each live endpoint reports a repeatable 0.3–3 GB on weekdays (less at
            weekends), from the moment it was created.{' '}
            {canSetTraffic
              ? 'Set a fixed rate, or add a one-off transfer today to take the workspace over 80 % or 100 % of its limit.'
              : 'An engineer can change it on this page, for example to show the 80 % and 100 % notices.'}
          </p>
          {canSetTraffic ? (
            live.length === 0 ? (
              <p className="mt-2 text-sm text-amber-950">No live endpoint in this workspace.</p>
            ) : (
              <ul className="mt-3 space-y-4">
                {live.map((e) => (
                  <li key={e.id} data-testid="traffic-endpoint">
                    <p className="text-sm font-medium text-slate-900">
                      <span className="font-mono">{e.awsId}</span> · PL-{e.caseNumber}
                      {traffic.get(e.awsId!)?.burstTodayBytes
                        ? ` · ${formatGb(traffic.get(e.awsId!)!.burstTodayBytes)} GB one-off today so far`
                        : ''}
                    </p>
                    <TrafficControl
                      endpointId={e.id}
                      vpcEndpointId={e.awsId!}
                      gibPerDay={traffic.get(e.awsId!)?.gibPerDay ?? null}
                      seenBytes={e.bytes}
                    />
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}
    </>
  );
}
