import type { Metadata } from 'next';
import Link from 'next/link';
import { StateBadge } from '@/app/_components/state-badge';
import { Badge, type Tone } from '@/app/_components/ui/badge';
import { buttonClass } from '@/app/_components/ui/button';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { FilterSelect } from '@/app/_components/ui/filter-select';
import { formatAge, formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listEndpointStates, listEndpointsPage, listPendingApprovals, PAGE_SIZE, type EndpointQuery } from '@/db/queries/endpoints';
import { listWorkspaceChoices } from '@/db/queries/workspaces';
import { roleAllows } from '@/lib/auth/policy';
import { endpointFilterSchema } from '@/lib/endpoint-filter';
import { fieldErrorsOf } from '@/lib/errors';
import { requirePageUser } from '@/lib/auth/session';
import { getFlowConfig, warehouseName } from '@/lib/providers';
import { UsageBar } from './_components/usage-bar';
import { WAREHOUSES } from '@/lib/domain/warehouses';

export const metadata: Metadata = { title: 'Endpoints' };
export const dynamic = 'force-dynamic';

const SORT_LABEL: Record<EndpointQuery['sort'], string> = {
  created: 'Newest',
  state: 'AWS state',
  region: 'Region',
  workspace: 'Workspace',
  usage: 'Usage this month',
  reconciled: 'Last reconcile',
};
const inputClass = 'mt-1 block w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm';

function qs(f: EndpointQuery, patch: Partial<EndpointQuery>): string {
  const merged = { ...f, ...patch };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) p.set(k, String(v));
  return p.toString();
}

/** The AWS state's badge: `partial` (up in only part of its subnets, docs/facts.md#the-partial-state) warns. */
function stateTone(e: { state: string; lastError: string | null }): Tone {
  if (e.state === 'available' || e.state === 'active') return 'success';
  if (e.lastError) return 'danger';
  return e.state === 'partial' ? 'warning' : 'info';
}

// /endpoints – every edge endpoint with its workspace, warehouse, region, AZs, AWS state, DNS name, usage against the
// limit, drift and last reconcile; filtered, sorted and paginated in SQL; pending approvals first; CSV export.
export default async function EndpointsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('endpoint.view');
  const raw = await searchParams;
  const parsed = endpointFilterSchema.safeParse(raw);
  // Every filter but the search falls back to its default; a refused search is shown, and the list is unfiltered.
  const f = parsed.success ? parsed.data : endpointFilterSchema.parse({ ...raw, q: undefined });
  const searchError = parsed.success ? null : (fieldErrorsOf(parsed.error).q?.[0] ?? null);
  const [{ rows, total }, approvals, workspaces, states] = await Promise.all([
    listEndpointsPage(f),
    listPendingApprovals(),
    listWorkspaceChoices(),
    listEndpointStates(),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Edge endpoints"
        description="Every PrivateLink VPC endpoint the portal manages in the edge account."
        actions={
          roleAllows(user.role, 'endpoint.export') ? (
            <a href={`/api/endpoints/export?${qs(f, { page: 1 })}`} className={buttonClass('secondary')} download>
              Export CSV
            </a>
          ) : undefined
        }
      />

      {approvals.length > 0 ? (
        <section aria-labelledby="approvals" className="mb-6 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
          <h2 id="approvals" className="text-sm font-semibold text-amber-950">
            Pending approvals ({approvals.length})
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {approvals.map((a) => (
              <li key={a.id} data-testid="pending-approval">
                <Link href={`/cases/${a.id}`} className="font-medium text-indigo-800 underline">
                  PL-{a.number}
                </Link>{' '}
                {warehouseName(a.warehouse)} · {a.region} · {a.workspaceName} · requested by {a.requesterName ?? 'unknown'}
                {a.requestedBy === user.id ? ' (you: another engineer must approve)' : ''} · waiting {formatAge(a.updatedAt, now)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <form
        method="get"
        aria-label="Filter endpoints"
        className="mb-4 grid gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200 md:grid-cols-4 lg:grid-cols-8 lg:items-end"
      >
        <label className="text-sm font-medium text-slate-900 md:col-span-2">
          Search
          <input
            type="search"
            name="q"
            defaultValue={f.q ?? ''}
            placeholder="vpce-…, DNS name, workspace, PL-1234"
            className={inputClass}
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? 'q-error' : undefined}
          />
          {searchError ? (
            <span id="q-error" role="alert" className="mt-1 block text-sm font-normal text-red-800" data-testid="search-error">
              Search: {searchError}
            </span>
          ) : null}
        </label>
        <FilterSelect
          label="Workspace"
          name="workspace"
          value={f.workspace}
          options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
        />
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
        <FilterSelect label="AWS state" name="state" value={f.state} options={states.map((st) => ({ value: st, label: st }))} />
        <FilterSelect
          label="Flags"
          name="flag"
          value={f.flag}
          allLabel="Any"
          options={[
            { value: 'drift', label: 'Drift' },
            { value: 'error', label: 'Last reconcile failed' },
          ]}
        />
        <FilterSelect
          label="Sort"
          name="sort"
          value={f.sort}
          allLabel=""
          options={Object.entries(SORT_LABEL).map(([k, v]) => ({ value: k, label: v }))}
        />
        <FilterSelect
          label="Order"
          name="dir"
          value={f.dir}
          allLabel=""
          options={[
            { value: 'desc', label: 'Descending' },
            { value: 'asc', label: 'Ascending' },
          ]}
        />
        <div className="flex gap-2 lg:col-span-2">
          <button type="submit" className={buttonClass('primary')}>
            Apply
          </button>
          <Link href="/endpoints" className={buttonClass('secondary')}>
            Clear
          </Link>
        </div>
      </form>

      <p className="mb-2 text-sm text-slate-700" data-testid="endpoint-count">
        {total} endpoint{total === 1 ? '' : 's'}
        {total ? ` · page ${f.page} of ${pages}` : ''}
      </p>
      {rows.length === 0 ? (
        <EmptyState
          title={total === 0 && !f.q && !f.workspace ? 'No endpoints in the edge account yet' : 'No endpoint matches these filters'}
        >
          Endpoints appear here once a case is approved and the reconciler creates them.
        </EmptyState>
      ) : (
        <Table
          caption="Edge endpoints"
          head={['Endpoint', 'Workspace', 'Warehouse', 'Region · AZ IDs', 'AWS state', 'DNS name', 'This month', 'Last reconcile']}
        >
          {rows.map((e) => (
            <tr key={e.id} data-testid="endpoint-row">
              <Td>
                <span className="font-mono text-xs">{e.awsId ?? '—'}</span>
                <p>
                  <Link href={`/cases/${e.caseId}`} className="text-xs text-indigo-800 underline">
                    PL-{e.caseNumber}
                  </Link>{' '}
                  <StateBadge state={e.caseState} />
                </p>
              </Td>
              <Td>
                <Link href={`/usage?workspace=${e.workspaceId}`} className="underline">
                  {e.workspaceName}
                </Link>
              </Td>
              <Td>{warehouseName(e.warehouse)}</Td>
              <Td>
                {e.region}
                <p className="text-xs text-slate-700">{e.azIds.join(', ') || '—'}</p>
              </Td>
              <Td>
                <Badge tone={stateTone(e)}>{e.state}</Badge>
                {e.drift.length ? (
                  <ul className="mt-1 text-xs text-amber-900">
                    {e.drift.map((d) => (
                      <li key={d}>Drift: {d}</li>
                    ))}
                  </ul>
                ) : null}
              </Td>
              <Td>
                <span className="break-all font-mono text-xs">
                  {e.dnsName ?? '—'}
                  {e.port ? `:${e.port}` : ''}
                </span>
              </Td>
              <Td>
                <UsageBar
                  bytes={e.monthBytes}
                  workspaceBytes={e.workspaceMonthBytes}
                  limitGib={e.monthlyTransferLimitGib}
                  workspaceName={e.workspaceName}
                />
              </Td>
              <Td>
                {e.lastReconciledAt ? formatDateTime(e.lastReconciledAt) : '—'}
                {e.lastError ? <p className="text-xs text-red-800">{e.lastError}</p> : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
          {f.page > 1 ? (
            <Link href={`/endpoints?${qs(f, { page: f.page - 1 })}`} className={buttonClass('secondary')}>
              Previous page
            </Link>
          ) : (
            <span />
          )}
          <span>
            Page {f.page} of {pages}
          </span>
          {f.page < pages ? (
            <Link href={`/endpoints?${qs(f, { page: f.page + 1 })}`} className={buttonClass('secondary')}>
              Next page
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  );
}
