import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { Badge } from '@/app/_components/ui/badge';
import { buttonClass } from '@/app/_components/ui/button';
import { cn } from '@/app/_components/ui/cn';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { countUnread, listNotifications } from '@/db/queries/notifications';
import { requirePageUser } from '@/lib/auth/session';
import { NEEDS_ACTION } from '@/lib/notifications/rules';
import { MarkReadButton } from './_components/mark-read-button';

export const metadata: Metadata = { title: 'Notifications' };
export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  show: z.enum(['all', 'unread']).catch('all'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

// /notifications – the signed-in user's notifications, newest first: what needs them and what changed on their cases.
export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser('notification.view');
  const { show, page } = searchSchema.parse(await searchParams);
  const [list, unread] = await Promise.all([listNotifications(user, { unreadOnly: show === 'unread', page }), countUnread(user)]);
  const href = (p: { show?: string; page?: number }) => {
    const q = new URLSearchParams();
    if ((p.show ?? show) === 'unread') q.set('show', 'unread');
    if ((p.page ?? 1) > 1) q.set('page', String(p.page));
    return `/notifications${q.size ? `?${q}` : ''}`;
  };
  const tab = (value: 'all' | 'unread', label: string) => (
    <Link
      href={href({ show: value })}
      aria-current={show === value ? 'page' : undefined}
      className={cn(
        'rounded-md px-3 py-1.5 text-sm font-medium',
        show === value ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100',
      )}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <span data-testid="unread-summary">
            {unread === 0 ? 'You are up to date.' : `${unread} unread.`} What needs you, and what changed on your cases.
          </span>
        }
        actions={unread > 0 ? <MarkReadButton label="Mark all as read" /> : null}
      />
      <nav aria-label="Which notifications" className="mb-4 flex gap-2">
        {tab('all', 'All')}
        {tab('unread', `Unread (${unread})`)}
      </nav>
      {list.rows.length === 0 ? (
        <EmptyState title={show === 'unread' ? 'Nothing unread' : 'No notifications yet'}>
          You are told here when a case needs you or changes state.
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-slate-100 overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
          data-testid="notification-list"
        >
          {list.rows.map((n) => (
            <li
              key={n.id}
              className={cn('flex flex-wrap items-start justify-between gap-3 px-4 py-3', n.readAt ? '' : 'bg-indigo-50/60')}
              data-testid="notification"
            >
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  {n.readAt ? null : <span className="sr-only">Unread:</span>}
                  {n.caseId ? (
                    <Link
                      href={`/cases/${n.caseId}`}
                      className={cn(
                        'text-sm text-indigo-900 underline decoration-indigo-300 underline-offset-2',
                        n.readAt ? 'font-medium' : 'font-semibold',
                      )}
                    >
                      {n.title}
                    </Link>
                  ) : (
                    <span className={cn('text-sm text-slate-900', n.readAt ? 'font-medium' : 'font-semibold')}>{n.title}</span>
                  )}
                  {NEEDS_ACTION.has(n.kind) && !n.readAt ? <Badge tone="warning">Needs you</Badge> : null}
                </p>
                <p className="mt-1 text-sm text-slate-700">{n.body}</p>
                <p className="mt-1 text-xs text-slate-600">
                  <time dateTime={n.createdAt.toISOString()}>{formatDateTime(n.createdAt)}</time>
                </p>
              </div>
              {n.readAt ? null : <MarkReadButton id={n.id} label="Mark read" accessibleName={`Mark read: ${n.title}`} />}
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Notification pages" className="mt-4 flex justify-between">
        {list.page > 1 ? (
          <Link rel="prev" href={href({ page: list.page - 1 })} className={buttonClass('secondary')}>
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {list.hasMore ? (
          <Link rel="next" href={href({ page: list.page + 1 })} className={buttonClass('secondary')}>
            Older →
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </>
  );
}
