import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { Badge } from '@/app/_components/ui/badge';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { getUserForAdmin } from '@/db/queries/users';
import { listWorkspaceChoices } from '@/db/queries/workspaces';
import { ROLE_LABEL } from '@/lib/admin/schemas';
import { requirePageUser } from '@/lib/auth/session';
import { ChangeRoleForm } from '../../_components/change-role-form';
import { DisableToggle } from '../../_components/disable-toggle';
import { ROLES, CUSTOMER_ROLES } from '@/lib/domain/roles';
import { UnlockSignIn } from '../../_components/unlock-sign-in';

export const metadata: Metadata = { title: 'Account' };
export const dynamic = 'force-dynamic';

const link = 'font-medium text-indigo-800 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-800';

// /admin/users/:id – one account: its details, its role and workspace, disable / re-enable, clear failed sign-ins.
export default async function UserAdminPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requirePageUser('admin.view');
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const [u, ws] = await Promise.all([getUserForAdmin(id), listWorkspaceChoices()]);
  if (!u) notFound();
  const self = u.id === me.id;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin" className={link}>
          ← Administration
        </Link>
      </p>
      <PageHeader
        title={u.name}
        description={
          <>
            {u.email} ·{' '}
            <Link href={`/audit?actor=${encodeURIComponent(u.email)}`} className={link}>
              What they did (audit log)
            </Link>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="details-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="details-heading" className="text-base font-semibold text-slate-900">
            Details
          </h2>
          <dl className="mt-3 grid grid-cols-[9rem_1fr] gap-x-3 gap-y-2 text-sm">
            <dt className="text-slate-700">Role</dt>
            <dd className="text-slate-900" data-testid="user-role">
              {ROLE_LABEL[u.role]}
            </dd>
            <dt className="text-slate-700">Workspace</dt>
            <dd className="text-slate-900">{u.workspaceName ?? 'None (staff)'}</dd>
            <dt className="text-slate-700">Status</dt>
            <dd data-testid="user-status">{u.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}</dd>
            <dt className="text-slate-700">Last sign-in</dt>
            <dd className="text-slate-900">{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never'}</dd>
            <dt className="text-slate-700">Created</dt>
            <dd className="text-slate-900">{formatDateTime(u.createdAt)}</dd>
          </dl>
        </section>
        {self ? (
          <section aria-labelledby="self-heading" className="rounded-lg bg-slate-50 p-5 ring-1 ring-slate-200">
            <h2 id="self-heading" className="text-base font-semibold text-slate-900">
              This is your account
            </h2>
            <p className="mt-2 text-sm text-slate-700">
              You cannot change your own role or disable yourself, so that an administrator always remains. Ask another administrator if you
              need either.
            </p>
          </section>
        ) : (
          <div className="space-y-6">
            <ChangeRoleForm
              userId={u.id}
              role={u.role}
              workspaceId={u.workspaceId}
              roles={ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
              workspaces={ws.map((w) => ({ value: w.id, label: w.name }))}
              customerRoles={[...CUSTOMER_ROLES]}
            />
            <DisableToggle userId={u.id} name={u.name} disabled={u.disabled} />
            <UnlockSignIn userId={u.id} name={u.name} />
          </div>
        )}
      </div>
    </>
  );
}
