import Link from 'next/link';
import { LiveUpdates } from '@/app/_components/live-updates';
import type { SessionFrame } from '@/lib/auth/session';

/**
 * "Notifications" in the main navigation, with the unread count (read with the session on every page render, scoped
 * to the user). The count and the tag the badge polls with come from one statement, so they always agree.
 */
export function NotificationsNavLink({ tag, unread }: SessionFrame['notifications']) {
  const shown = unread > 99 ? '99+' : String(unread);
  return (
    <>
      <LiveUpdates src="/api/changes?list=notifications" tag={tag} />
      {/* The badge updates by itself: say so to screen readers (live regions announce changes, not the first render). */}
      <span className="sr-only" aria-live="polite">
        {unread > 0 ? `${unread} unread notifications` : ''}
      </span>
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
    </>
  );
}
