import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClass } from '@/app/_components/ui/button';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { listAuditActions, listAuditPage } from '@/db/queries/audit';
import { listWorkspaceChoices } from '@/db/queries/workspaces';
import { listUserEmails } from '@/db/queries/users';
import { fieldErrorsOf } from '@/lib/errors';
import { auditFilterSchema, filterParams, toAuditFilter } from '@/lib/admin/audit-filter';
import { roleAllows } from '@/lib/auth/policy';
import { requirePageUser } from '@/lib/auth/session';
import { AuditFilters, type FilterValues } from './_components/audit-filters';
import { AuditTable } from './_components/audit-table';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;
type Search = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// /audit – the append-only audit log: filter by actor, action, workspace and UTC days; keyset pages of 50, newest
// first; CSV export of the filtered log. Read only: the database refuses changes (migration 0001).
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageUser('audit.view');
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, first(v)]));
  const parsed = auditFilterSchema.safeParse(raw);
  const values: FilterValues = {
    actor: raw.actor,
    action: raw.action,
    workspace: raw.workspace,
    autosaves: raw.autosaves,
    from: raw.from,
    to: raw.to,
  };
  const [actions, workspaces, actors, page] = await Promise.all([
    listAuditActions(),
    listWorkspaceChoices(),
    listUserEmails(),
    parsed.success
      ? listAuditPage(toAuditFilter(parsed.data), { before: parsed.data.before, after: parsed.data.after, limit: PAGE_SIZE })
      : null,
  ]);
  const params = filterParams(parsed.success ? parsed.data : {});
  const pageLink = (cursor: Record<string, number>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(cursor)) p.set(k, String(v));
    return `/audit?${p}`;
  };
  const filtered = params.size > 0;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative and security-relevant action, newest first. Entries cannot be changed or deleted. Times are UTC."
        actions={
          parsed.success && roleAllows(user.role, 'audit.export') ? (
            <a
              href={`/api/audit/export${params.size ? `?${params}` : ''}`}
              download
              className={buttonClass('secondary')}
              data-testid="audit-export"
            >
              Export CSV{filtered ? ' (filtered)' : ''}
            </a>
          ) : null
        }
      />
      <AuditFilters
        values={values}
        errors={parsed.success ? {} : fieldErrorsOf(parsed.error)}
        actions={actions}
        workspaces={workspaces}
        actors={actors}
      />
      {!page ? null : page.rows.length === 0 ? (
        <EmptyState title={filtered ? 'No entries match these filters' : 'The audit log is empty'}>
          {filtered ? (
            <>
              Widen the filters, or{' '}
              <Link href="/audit" className="font-medium text-indigo-800 underline">
                clear them
              </Link>
              .
            </>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-700" aria-live="polite" data-testid="audit-count">
            Showing {page.rows.length} {page.rows.length === 1 ? 'entry' : 'entries'}
            {filtered ? ' matching the filters' : ''}.
          </p>
          <AuditTable rows={page.rows} />
          <nav aria-label="Audit log pages" className="mt-4 flex justify-between text-sm">
            {page.newerThan !== null ? (
              <Link rel="prev" href={pageLink({ after: page.newerThan })} className={buttonClass('secondary')}>
                ← Newer entries
              </Link>
            ) : (
              <span />
            )}
            {page.olderThan !== null ? (
              <Link rel="next" href={pageLink({ before: page.olderThan })} className={buttonClass('secondary')}>
                Older entries →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        </>
      )}
    </>
  );
}
