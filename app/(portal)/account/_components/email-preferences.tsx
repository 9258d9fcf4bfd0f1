'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/app/_components/ui/button';
import { setEmailPreferencesAction } from '../actions';

/** One checkbox per kind of e-mail the user can get; saving says so, or why not, to screen readers too. */
export function EmailPreferences({ kinds }: { kinds: { kind: string; label: string; on: boolean }[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      aria-label="E-mail settings"
      onSubmit={(e) => {
        e.preventDefault();
        const on = new FormData(e.currentTarget).getAll('on').map(String);
        startTransition(async () => {
          const r = await setEmailPreferencesAction({ on });
          setStatus(r.ok ? { ok: true, text: 'Saved.' } : { ok: false, text: r.message });
          if (r.ok) router.refresh();
        });
      }}
    >
      <fieldset className="space-y-2">
        <legend className="sr-only">E-mail me when</legend>
        {kinds.map((k) => (
          <label key={k.kind} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="checkbox" name="on" value={k.kind} defaultChecked={k.on} className="h-4 w-4" />
            {k.label}
          </label>
        ))}
      </fieldset>
      <div className="mt-4 flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save e-mail settings'}
        </Button>
        <span role="status" className={status ? (status.ok ? 'text-sm text-emerald-800' : 'text-sm text-red-800') : 'sr-only'}>
          {status?.text}
        </span>
      </div>
    </form>
  );
}
