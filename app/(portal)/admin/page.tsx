import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/app/_components/ui/badge';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listUsers } from '@/db/queries/users';
import { listWorkspacesWithCounts } from '@/db/queries/workspaces';
import { ROLE_LABEL } from '@/lib/admin/schemas';
import { requirePageUser } from '@/lib/auth/session';
import { CreateUserForm } from './_components/create-user-form';
import { CreateWorkspaceForm } from './_components/create-workspace-form';
import { ROLES, CUSTOMER_ROLES } from '@/lib/domain/roles';

export const metadata: Metadata = { title: 'Administration' };
export const dynamic = 'force-dynamic';

const link = 'font-medium text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-800';

// /admin – customer workspaces (create; open one to override its limits) and accounts (create; open one to change its
// role or disable it). Every change is audited.
export default async function AdminPage() {
  await requirePageUser('admin.view');
  const [ws, people] = await Promise.all([listWorkspacesWithCounts(), listUsers()]);
  const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }));
  const workspaceOptions = ws.map((w) => ({ value: w.id, label: w.name }));
  return (
    <>
      <PageHeader
        title="Administration"
        description={
          <>
            Customer workspaces with their private-beta limits, and every account with its role. Every change here is recorded in the{' '}
            <Link href="/audit" className={link}>
              audit log
            </Link>
            .
          </>
        }
      />

      <section aria-labelledby="workspaces-heading" className="mb-10">
        <h2 id="workspaces-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Workspaces
        </h2>
        <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
          <Table caption="Workspaces" head={['Workspace', 'Members', 'Endpoint slots in use', 'Endpoint limit', 'Monthly transfer limit']}>
            {ws.map((w) => (
              <tr key={w.id} data-testid={`workspace-row-${w.slug}`}>
                <Td>
                  <Link href={`/admin/workspaces/${w.id}`} className={link}>
                    {w.name}
                  </Link>{' '}
                  <span className="text-slate-600">({w.slug})</span>
                </Td>
                <Td>{w.members}</Td>
                <Td>{w.activeCases}</Td>
                <Td>
                  {w.endpointLimit}
                  {w.limitOverrideReason ? <p className="text-xs text-slate-700">Override: {w.limitOverrideReason}</p> : null}
                </Td>
                <Td>{w.monthlyTransferLimitGib} GB</Td>
              </tr>
            ))}
          </Table>
          <CreateWorkspaceForm />
        </div>
      </section>

      <section aria-labelledby="users-heading">
        <h2 id="users-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Accounts
        </h2>
        <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
          <Table caption="Accounts" head={['Name', 'E-mail', 'Role', 'Workspace', 'Last sign-in', 'Status']}>
            {people.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.email}`}>
                <Td>
                  <Link href={`/admin/users/${u.id}`} className={link}>
                    {u.name}
                  </Link>
                </Td>
                <Td>
                  {u.email}
                  {u.hasPassword ? null : <p className="text-xs text-slate-700">Staff single sign-on</p>}
                </Td>
                <Td>{ROLE_LABEL[u.role]}</Td>
                <Td>{u.workspaceName ?? 'Staff'}</Td>
                <Td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never'}</Td>
                <Td>{u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}</Td>
              </tr>
            ))}
          </Table>
          <CreateUserForm roles={roleOptions} workspaces={workspaceOptions} customerRoles={[...CUSTOMER_ROLES]} />
        </div>
      </section>
    </>
  );
}
