'use client';

import { useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { unlockSignInAction } from '../actions';

/** Lift the sign-in locks of an account that too many failed sign-ins locked (the person asked for help). */
export function UnlockSignIn({ userId, name }: { userId: string; name: string }) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function unlock() {
    setPending(true);
    const r = await unlockSignInAction({ userId });
    setPending(false);
    if (!r.ok) setMessage({ ok: false, text: r.message });
    else if (r.data.cleared === 0) setMessage({ ok: true, text: `${name} has no failed sign-ins to clear.` });
    else setMessage({ ok: true, text: `${name} can sign in again: their failed sign-ins are cleared.` });
  }

  return (
    <section aria-labelledby="unlock-heading" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="unlock-heading" className="text-base font-semibold text-slate-900">
        Failed sign-ins
      </h2>
      <p className="text-sm text-slate-700">
        After repeated wrong passwords the portal pauses sign-ins for this e-mail address. Clear them when the person asks for help.
      </p>
      <p
        role="status"
        aria-live="polite"
        data-testid="unlock-message"
        className={
          message ? `rounded-md p-3 text-sm ${message.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}` : 'sr-only'
        }
      >
        {message?.text}
      </p>
      <Button type="button" variant="secondary" onClick={() => void unlock()} disabled={pending}>
        {pending ? 'Clearing…' : 'Clear failed sign-ins'}
      </Button>
    </section>
  );
}
