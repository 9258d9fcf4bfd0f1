import type { Metadata } from 'next';
import { Badge } from '@/app/_components/ui/badge';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { listUsers } from '@/db/queries/users';
import { listWorkspacesWithCounts } from '@/db/queries/workspaces';
import { requirePageUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Administration' };
export const dynamic = 'force-dynamic';

// /admin – workspaces with their beta limits, and every user with their role.
export default async function AdminPage() {
  await requirePageUser('admin.view');
  const [ws, people] = await Promise.all([listWorkspacesWithCounts(), listUsers()]);
  return (
    <>
      <PageHeader title="Administration" description="Customer workspaces with their private-beta limits, and every account with its role." />
      <h2 className="mb-3 text-lg font-semibold text-slate-900">Workspaces</h2>
      <Table caption="Workspaces" head={['Workspace', 'Members', 'Endpoint slots in use', 'Endpoint limit', 'Monthly transfer limit']}>
        {ws.map((w) => (
          <tr key={w.id}>
            <Td>{w.name} <span className="text-slate-600">({w.slug})</span></Td>
            <Td>{w.members}</Td>
            <Td>{w.activeCases}</Td>
            <Td>{w.endpointLimit}{w.limitOverrideReason ? <p className="text-xs text-slate-600">Override: {w.limitOverrideReason}</p> : null}</Td>
            <Td>{w.monthlyTransferLimitGib} GB</Td>
          </tr>
        ))}
      </Table>
      <h2 className="mb-3 mt-8 text-lg font-semibold text-slate-900">Users</h2>
      <Table caption="Users" head={['Name', 'E-mail', 'Role', 'Workspace', 'Last sign-in', 'Status']}>
        {people.map((u) => (
          <tr key={u.id}>
            <Td>{u.name}</Td>
            <Td>{u.email}</Td>
            <Td>{u.role}</Td>
            <Td>{u.workspaceName ?? 'Staff'}</Td>
            <Td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never'}</Td>
            <Td>{u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
