import type { Metadata } from 'next';
import { warehouseName } from '@/lib/providers';
import Link from 'next/link';
import { buttonClass } from '@/app/_components/ui/button';
import { LiveUpdates } from '@/app/_components/live-updates';
import { StateBadge } from '@/app/_components/state-badge';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime, formatGb } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listCasesForUser } from '@/db/queries/cases';
import { caseListChangeTag } from '@/db/queries/changes';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { getDb } from '@/db/index';
import { roleAllows } from '@/lib/auth/policy';
import { requirePageUser } from '@/lib/auth/session';
import { isStaff } from '@/lib/domain/roles';

export const metadata: Metadata = { title: 'Cases' };
export const dynamic = 'force-dynamic';

// /cases – customers: their workspace's PrivateLink cases and beta usage; staff: every workspace's cases.
export default async function CasesPage() {
  const user = await requirePageUser('case.view');
  const staff = isStaff(user.role);
  const tag = await caseListChangeTag(user);
  const [rows, usage] = await Promise.all([
    listCasesForUser(user),
    user.workspaceId ? getWorkspaceUsage(await getDb(), user.workspaceId) : Promise.resolve(null),
  ]);
  return (
    <>
      <LiveUpdates src="/api/changes?list=cases" tag={tag} />
      <PageHeader
        title={staff ? 'All cases' : 'PrivateLink connections'}
        description={
          staff
            ? 'Every PrivateLink case across workspaces, most recently changed first.'
            : 'Each case tracks one private connection from our edge AWS account to your warehouse, from request to live endpoint.'
        }
        actions={
          roleAllows(user.role, 'case.create') ? (
            <Link href="/cases/new" className={buttonClass('primary')}>
              New connection
            </Link>
          ) : undefined
        }
      />
      {usage ? (
        <section aria-labelledby="usage-heading" className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="usage-heading" className="text-sm font-semibold text-slate-900">
            Private beta usage
          </h2>
          <p className="mt-1 text-sm text-slate-800" data-testid="beta-usage">
            {usage.endpointsUsed} of {usage.endpointLimit} endpoints used · {formatGb(usage.monthBytes)} of {usage.monthlyTransferLimitGib}{' '}
            GB this month
          </p>
        </section>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title="No PrivateLink cases yet">
          {staff
            ? 'When a customer starts a connection it appears here.'
            : 'PrivateLink is available for Databricks, RDS Postgres, Redshift and Snowflake warehouses in us-east-1, us-west-2 and eu-west-1. A case you start appears here with every step it goes through.'}
        </EmptyState>
      ) : (
        <Table caption="Cases" head={['Case', ...(staff ? ['Workspace'] : []), 'Warehouse', 'Region', 'State', 'Last change']}>
          {rows.map((c) => (
            <tr key={c.id}>
              <Td>
                <Link href={`/cases/${c.id}`} className="font-medium text-indigo-800 underline">
                  PL-{c.number}
                </Link>
              </Td>
              {staff ? <Td>{c.workspaceName}</Td> : null}
              <Td>{warehouseName(c.warehouse)}</Td>
              <Td>{c.region}</Td>
              <Td>
                <StateBadge state={c.state} />
              </Td>
              <Td>{formatDateTime(c.updatedAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
