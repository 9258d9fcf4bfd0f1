import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { Badge } from '@/app/_components/ui/badge';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { getDb } from '@/db/index';
import { listWorkspaceMembers } from '@/db/queries/users';
import { getWorkspaceUsage, listWorkspacesWithCounts } from '@/db/queries/workspaces';
import { ROLE_LABEL } from '@/lib/admin/schemas';
import { requirePageUser } from '@/lib/auth/session';
import { describeUsage } from '@/lib/limits';
import { LimitsForm } from '../../_components/limits-form';

export const metadata: Metadata = { title: 'Workspace' };
export const dynamic = 'force-dynamic';

const link = 'font-medium text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-800';

// /admin/workspaces/:id – one workspace: usage against its limits, the limit override form, its members.
export default async function WorkspaceAdminPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('admin.view');
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const ws = (await listWorkspacesWithCounts()).find((w) => w.id === id);
  if (!ws) notFound();
  const [usage, members] = await Promise.all([getWorkspaceUsage(await getDb(), id), listWorkspaceMembers(id)]);
  const summary = usage ? describeUsage(usage) : null;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin" className={link}>
          ← Administration
        </Link>
      </p>
      <PageHeader
        title={ws.name}
        description={
          <>
            Short name <code className="font-mono">{ws.slug}</code>.{' '}
            <Link href={`/audit?workspace=${ws.id}`} className={link}>
              Audit log of this workspace
            </Link>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
        <div className="space-y-6">
          <section aria-labelledby="usage-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 id="usage-heading" className="text-base font-semibold text-slate-900">
              Limits and usage
            </h2>
            <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-2">
              <div>
                <dt className="text-slate-700">Endpoints</dt>
                <dd className="font-medium text-slate-900" data-testid="endpoint-usage">
                  {summary?.endpoints}
                </dd>
              </div>
              <div>
                <dt className="text-slate-700">Transfer</dt>
                <dd className="font-medium text-slate-900" data-testid="transfer-usage">
                  {summary?.transfer}
                </dd>
              </div>
              <div className="sm:col-span-2">
                <dt className="text-slate-700">Override reason</dt>
                <dd className="text-slate-900" data-testid="override-reason">
                  {ws.limitOverrideReason ?? 'None: the beta defaults apply.'}
                </dd>
              </div>
            </dl>
          </section>
          <section aria-labelledby="members-heading">
            <h2 id="members-heading" className="mb-3 text-base font-semibold text-slate-900">
              Members
            </h2>
            {members.length === 0 ? (
              <EmptyState title="No members yet">
                Create an account with a workspace role on the{' '}
                <Link href="/admin" className={link}>
                  administration page
                </Link>
                .
              </EmptyState>
            ) : (
              <Table caption={`Members of ${ws.name}`} head={['Name', 'E-mail', 'Role', 'Last sign-in', 'Status']}>
                {members.map((m) => (
                  <tr key={m.id}>
                    <Td>
                      <Link href={`/admin/users/${m.id}`} className={link}>
                        {m.name}
                      </Link>
                    </Td>
                    <Td>{m.email}</Td>
                    <Td>{ROLE_LABEL[m.role]}</Td>
                    <Td>{m.lastSignInAt ? formatDateTime(m.lastSignInAt) : 'Never'}</Td>
                    <Td>{m.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}</Td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
        </div>
        <LimitsForm workspaceId={ws.id} endpointLimit={ws.endpointLimit} monthlyTransferLimitGib={ws.monthlyTransferLimitGib} />
      </div>
    </>
  );
}
