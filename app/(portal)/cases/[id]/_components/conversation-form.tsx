'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { addNoteAction, sendMessageAction } from '../../actions';

type Kind = 'message' | 'note';

/**
 * Writing on a case. A workspace admin writes to staff; staff choose, visibly, between a message the customer reads
 * (and their admins get by e-mail) and an internal note no customer ever sees.
 */
export function ConversationForm({ caseId, staff, canNote }: { caseId: string; staff: boolean; canNote: boolean }) {
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<Kind>('message');
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const note = staff && kind === 'note';

  async function send() {
    setPending(true);
    const res = note ? await addNoteAction({ caseId, note: text }) : await sendMessageAction({ caseId, message: text });
    setPending(false);
    if (res.ok) {
      setText('');
      setResult({
        ok: true,
        text: note
          ? 'Internal note added: staff only.'
          : staff
            ? "Message sent to the customer: the workspace's members see it on the case."
            : 'Message sent to staff: the CSMs are notified.',
      });
      router.refresh();
    } else setResult({ ok: false, text: res.fieldErrors.note?.[0] ?? res.fieldErrors.message?.[0] ?? res.message });
  }

  const help = note
    ? 'Staff only: never shown or sent to the customer.'
    : staff
      ? "The customer sees this on the case page and the workspace's admins get it by e-mail."
      : 'Your CSM gets this in the portal and by e-mail; every member of your workspace sees it on this page.';

  return (
    <form
      className="mt-4 rounded-md bg-white p-4 ring-1 ring-slate-200"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      data-testid="conversation-form"
    >
      <h3 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {staff ? 'Write on this case' : 'Write to staff'}
      </h3>
      {staff && canNote ? (
        <fieldset className="mt-2">
          <legend className="text-sm font-medium text-slate-900">Who reads it</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm text-slate-900">
            <label className="flex items-center gap-2">
              <input type="radio" name={`${id}-kind`} checked={kind === 'message'} onChange={() => setKind('message')} />
              Message to the customer
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name={`${id}-kind`} checked={kind === 'note'} onChange={() => setKind('note')} />
              Internal note (staff only)
            </label>
          </div>
        </fieldset>
      ) : null}
      <label htmlFor={`${id}-text`} className="mt-3 block text-sm font-medium text-slate-900">
        {note ? 'Internal note' : staff ? 'Message to the customer' : 'Message to staff'}
      </label>
      <textarea
        id={`${id}-text`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        aria-describedby={`${id}-help`}
        className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm ${note ? 'border-amber-500 bg-amber-50' : 'border-slate-400'}`}
      />
      <p id={`${id}-help`} className="mt-1 text-xs text-slate-700">
        {help}
      </p>
      <Button type="submit" variant={note ? 'secondary' : 'primary'} className="mt-2" disabled={pending || text.trim().length < 2}>
        {pending ? 'Sending…' : note ? 'Add internal note' : staff ? 'Send to the customer' : 'Send to staff'}
      </Button>
      <p
        role="status"
        aria-live="polite"
        className={
          result ? `mt-2 rounded-md p-2 text-sm ${result.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}` : 'sr-only'
        }
        data-testid="conversation-result"
      >
        {result?.text}
      </p>
    </form>
  );
}
