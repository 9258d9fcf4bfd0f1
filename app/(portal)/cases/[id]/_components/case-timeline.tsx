import { formatDateTime } from '@/app/_components/ui/format';
import type { CaseEvent, CaseMessage } from '@/db/queries/cases';
import { STATE_LABEL } from '@/lib/cases/states';

type Events = CaseEvent[];
type Messages = CaseMessage[];

const ROLE_WORDS: Record<string, string> = {
  customer_admin: 'workspace admin',
  customer_viewer: 'workspace member',
  csm: 'CSM',
  engineer: 'engineer',
  admin: 'administrator',
  reconciler: 'the portal',
};

type Entry = { kind: 'event'; at: Date; key: string; e: Events[number] } | { kind: 'message'; at: Date; key: string; m: Messages[number] };

/** State changes and messages in one list, oldest first (messages never appear as state entries). */
function merge(events: Events, messages: Messages): Entry[] {
  const entries: Entry[] = [
    // Notes were state entries before the conversation had its own table: none should remain, none is shown as one.
    ...events.filter((e) => e.event !== 'note').map((e): Entry => ({ kind: 'event', at: e.createdAt, key: `e${e.id}`, e })),
    ...messages.map((m): Entry => ({ kind: 'message', at: m.createdAt, key: `m${m.id}`, m })),
  ];
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The case's timeline: its state changes and its conversation. Staff see each event's name and every message with
 * who may read it; customers see the states and the messages of their workspace's conversation only (the caller
 * passes only those: docs/design.md#conversations-on-a-case).
 */
export function CaseTimeline({ events, messages, audience }: { events: Events; messages: Messages; audience: 'customer' | 'staff' }) {
  const staff = audience === 'staff';
  return (
    <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4" data-testid="timeline">
      {merge(events, messages).map((x) => {
        if (x.kind === 'event') {
          const e = x.e;
          return (
            <li key={x.key} data-testid="timeline-state">
              <p className="text-sm font-medium text-slate-900">
                {staff
                  ? `${e.event.replace(/_/g, ' ')} → ${STATE_LABEL[e.toState]}`
                  : e.event === 'request_changes'
                    ? `Changes requested: back to “${STATE_LABEL[e.toState]}”`
                    : STATE_LABEL[e.toState]}
              </p>
              <p className="text-xs text-slate-700">
                {formatDateTime(e.createdAt)} · {e.actorName ?? (e.actorRole === 'reconciler' ? 'The portal' : ROLE_WORDS[e.actorRole])}
                {staff ? ` (${e.actorRole})` : ''}
              </p>
              {e.note ? <p className="mt-1 text-sm break-words text-slate-800">Reason: “{e.note}”</p> : null}
            </li>
          );
        }
        const m = x.m;
        const internal = m.audience === 'internal';
        const fromCustomer = m.authorRole === 'customer_admin' || m.authorRole === 'customer_viewer';
        const label = internal
          ? 'Internal note · staff only'
          : staff
            ? fromCustomer
              ? 'Message from the customer'
              : 'Message to the customer'
            : fromCustomer
              ? 'Message from your workspace'
              : 'Message from staff';
        return (
          <li
            key={x.key}
            data-testid={internal ? 'timeline-note' : 'timeline-message'}
            className={`rounded-md p-3 ring-1 ${internal ? 'bg-amber-50 ring-amber-300' : 'bg-slate-50 ring-slate-200'}`}
          >
            <p className="text-xs font-semibold tracking-wide text-slate-800 uppercase">{label}</p>
            <p className="text-xs text-slate-700">
              {formatDateTime(m.createdAt)} · {m.authorName ?? ROLE_WORDS[m.authorRole] ?? m.authorRole} (
              {ROLE_WORDS[m.authorRole] ?? m.authorRole})
            </p>
            <p className="mt-1 text-sm break-words whitespace-pre-wrap text-slate-900">{m.body}</p>
          </li>
        );
      })}
    </ol>
  );
}
