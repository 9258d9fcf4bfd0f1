import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { Badge, type Tone } from '@/app/_components/ui/badge';
import { buttonClass } from '@/app/_components/ui/button';
import { cn } from '@/app/_components/ui/cn';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { requirePageUser } from '@/lib/auth/session';
import { roleAllows } from '@/lib/auth/policy';
import { getDb } from '@/db/index';
import { listOutbox, OUTBOX_STATES, type OutboxState } from '@/lib/outbox/admin';
import { ResendButton } from './_components/resend-button';

export const metadata: Metadata = { title: 'Outbox' };
export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  state: z.enum(OUTBOX_STATES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

const STATE_TONE: Record<OutboxState, Tone> = { pending: 'info', held: 'neutral', failed: 'danger', sent: 'success', cancelled: 'neutral' };
const STATE_WORD: Record<OutboxState, string> = {
  pending: 'Waiting to send',
  held: 'Kept, not sent',
  failed: 'Failed',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

// /outbox – every e-mail and chat message the portal sent or keeps (docs/design.md#the-outbox): with no SMTP server
// configured, exactly what would have been sent. Staff only; failed messages can be sent again.
export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('outbox.view');
  const { state, page } = searchSchema.parse(await searchParams);
  const list = await listOutbox(await getDb(), { state, page });
  const canResend = roleAllows(user.role, 'outbox.resend');
  const href = (p: { state?: OutboxState | null; page?: number }) => {
    const q = new URLSearchParams();
    const s = p.state === null ? undefined : (p.state ?? state);
    if (s) q.set('state', s);
    if ((p.page ?? 1) > 1) q.set('page', String(p.page));
    return `/outbox${q.size ? `?${q}` : ''}`;
  };
  const tab = (value: OutboxState | null, label: string) => (
    <Link
      key={value ?? 'all'}
      href={href({ state: value })}
      aria-current={(state ?? null) === value ? 'page' : undefined}
      className={cn(
        'rounded-md px-3 py-1.5 text-sm font-medium',
        (state ?? null) === value ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100',
      )}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every e-mail and chat message, newest first. Without an SMTP server or chat webhook configured, messages are kept here instead of sent."
      />
      <nav aria-label="Which messages" className="mb-4 flex flex-wrap gap-2">
        {tab(null, 'All')}
        {OUTBOX_STATES.map((s) => tab(s, `${STATE_WORD[s]} (${list.counts[s] ?? 0})`))}
      </nav>
      {list.rows.length === 0 ? (
        <EmptyState title="No messages">E-mails and chat messages appear here as cases move.</EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="outbox-list">
          {list.rows.map((m) => {
            const st = m.state as OutboxState;
            const text = String(m.payload.text ?? '');
            return (
              <li key={m.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="outbox-message">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 text-sm">
                      <Badge tone={STATE_TONE[st] ?? 'neutral'}>{STATE_WORD[st] ?? m.state}</Badge>
                      <span className="font-medium text-slate-900">{m.channel === 'email' ? 'E-mail' : 'Chat'}</span>
                      <span className="text-slate-700" data-testid="outbox-recipient">
                        {m.channel === 'email' ? `to ${m.recipient}` : 'to the staff channel'}
                      </span>
                      {m.caseId ? (
                        <Link href={`/cases/${m.caseId}`} className="text-indigo-800 underline">
                          PL-{m.caseNumber}
                        </Link>
                      ) : null}
                    </p>
                    <p className="mt-1 font-semibold text-slate-900" data-testid="outbox-subject">
                      {m.subject}
                    </p>
                    <details className="mt-1">
                      <summary className="cursor-pointer text-sm text-indigo-800">The message</summary>
                      <pre
                        className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs text-slate-800"
                        data-testid="outbox-body"
                      >
                        {text}
                      </pre>
                    </details>
                    <p className="mt-1 text-xs text-slate-600">
                      Written <time dateTime={m.createdAt.toISOString()}>{formatDateTime(m.createdAt)}</time>
                      {m.sentAt ? (
                        <>
                          {' · sent '}
                          <time dateTime={m.sentAt.toISOString()}>{formatDateTime(m.sentAt)}</time>
                        </>
                      ) : null}
                      {m.attempts > 0 ? ` · ${m.attempts} attempt${m.attempts === 1 ? '' : 's'}` : ''}
                      {m.lastError ? ` · ${m.lastError}` : ''}
                      {` · delivery id ${m.id}`}
                    </p>
                  </div>
                  {canResend && (st === 'failed' || st === 'held') ? <ResendButton id={m.id} subject={m.subject} /> : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <nav aria-label="Outbox pages" className="mt-4 flex justify-between">
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
