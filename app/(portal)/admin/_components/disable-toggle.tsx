'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { setDisabledAction } from '../actions';

/** Disable (with a confirmation step) or re-enable an account. */
export function DisableToggle({ userId, name, disabled }: { userId: string; name: string; disabled: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  async function apply(next: boolean) {
    setPending(true);
    const r = await setDisabledAction({ userId, disabled: next });
    setPending(false);
    setConfirming(false);
    if (!r.ok) {
      setMessage({ ok: false, text: r.message });
      return;
    }
    setMessage({
      ok: true,
      text: next ? `${name} is disabled: they cannot sign in, and open sessions end on their next click.` : `${name} can sign in again.`,
    });
    router.refresh();
  }

  return (
    <section aria-labelledby="access-heading" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="access-heading" className="text-base font-semibold text-slate-900">
        Access
      </h2>
      <p
        role="status"
        aria-live="polite"
        data-testid="access-message"
        className={
          message ? `rounded-md p-3 text-sm ${message.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}` : 'sr-only'
        }
      >
        {message?.text}
      </p>
      {disabled ? (
        <>
          <p className="text-sm text-slate-700">This account is disabled: it cannot sign in.</p>
          <Button type="button" onClick={() => void apply(false)} disabled={pending}>
            {pending ? 'Enabling…' : 'Re-enable account'}
          </Button>
        </>
      ) : confirming ? (
        <div
          role="alertdialog"
          aria-labelledby="disable-title"
          aria-describedby="disable-desc"
          className="rounded-md bg-red-50 p-4 ring-1 ring-red-200"
        >
          <p id="disable-title" className="font-semibold text-red-950">
            Disable {name}?
          </p>
          <p id="disable-desc" className="mt-1 text-sm text-red-950">
            They cannot sign in any more, and their open sessions end on their next click. You can re-enable the account later.
          </p>
          <div className="mt-3 flex gap-2">
            <Button type="button" variant="danger" onClick={() => void apply(true)} disabled={pending}>
              {pending ? 'Disabling…' : 'Yes, disable'}
            </Button>
            <Button type="button" variant="secondary" ref={keepRef} onClick={() => setConfirming(false)}>
              Keep it enabled
            </Button>
          </div>
        </div>
      ) : (
        <>
          <p className="text-sm text-slate-700">The account can sign in.</p>
          <Button
            type="button"
            variant="danger"
            onClick={() => {
              setConfirming(true);
              requestAnimationFrame(() => keepRef.current?.focus());
            }}
          >
            Disable account
          </Button>
        </>
      )}
    </section>
  );
}
