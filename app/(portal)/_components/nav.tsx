import Link from 'next/link';
import { type Action, roleAllows } from '@/lib/auth/policy';
import type { SessionFrame, SessionUser } from '@/lib/auth/session';
import { NotificationsNavLink } from '../notifications/_components/nav-link';
import { NavMenu } from './nav-menu';
import { SignOutButton } from './sign-out-button';

const LINKS: { href: string; label: string; permission: Action; staffOnly?: boolean }[] = [
  { href: '/cases', label: 'Cases', permission: 'case.view' },
  { href: '/queue', label: 'Queue', permission: 'queue.view' },
  { href: '/endpoints', label: 'Endpoints', permission: 'endpoint.view' },
  { href: '/usage', label: 'Usage', permission: 'usage.view' },
  { href: '/audit', label: 'Audit log', permission: 'audit.view' },
  { href: '/outbox', label: 'Outbox', permission: 'outbox.view' },
  { href: '/admin', label: 'Admin', permission: 'admin.view' },
];

const ROLE_LABEL: Record<SessionUser['role'], string> = {
  customer_admin: 'Workspace admin',
  customer_viewer: 'Read-only',
  csm: 'CSM',
  engineer: 'Engineer',
  admin: 'Administrator',
};

// Shows the links the role may use; the pages themselves check permission on the server.
export function Nav({ frame }: { frame: SessionFrame }) {
  const { user, workspaceName } = frame;
  return (
    <header className="bg-slate-900 text-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-sm font-semibold tracking-wide">
          PrivateLink Portal
        </Link>
        <NavMenu>
          <nav aria-label="Main" className="flex min-w-0 flex-col gap-1 md:flex-1 md:flex-row md:flex-wrap">
            {LINKS.filter((l) => roleAllows(user.role, l.permission)).map((l) => (
              <Link
                key={l.href}
                href={l.href}
                className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 hover:text-white"
              >
                {l.label}
              </Link>
            ))}
            {roleAllows(user.role, 'notification.view') ? <NotificationsNavLink {...frame.notifications} /> : null}
          </nav>
          <div className="flex min-w-0 flex-wrap items-center gap-3 border-t border-slate-700 pt-3 text-sm md:border-0 md:pt-0">
            <span className="min-w-0 break-words text-slate-200">
              <Link
                href="/account"
                className="font-medium text-white underline-offset-2 hover:underline"
                data-testid="current-user"
                title="Your account: e-mail settings"
              >
                {user.name}
              </Link>
              {' · '}
              {ROLE_LABEL[user.role]}
              {workspaceName ? ` · ${workspaceName}` : ''}
            </span>
            <span className="flex flex-wrap gap-1">
              <SignOutButton />
            </span>
          </div>
        </NavMenu>
      </div>
    </header>
  );
}
