import Link from 'next/link';
import { countUnread } from '@/db/queries/notifications';
import type { SessionUser } from '@/lib/auth/session';

/** "Notifications" in the main navigation, with the unread count (read on every page render, scoped to the user). */
export async function NotificationsNavLink({ user }: { user: SessionUser }) {
  const unread = await countUnread(user);
  const shown = unread > 99 ? '99+' : String(unread);
  return (
    <Link
      href="/notifications"
      aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
      className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 hover:text-white"
    >
      Notifications
      {unread > 0 ? (
        <span aria-hidden="true" data-testid="unread-count" className="rounded-full bg-amber-400 px-1.5 text-xs font-bold text-slate-900">
          {shown}
        </span>
      ) : null}
    </Link>
  );
}
