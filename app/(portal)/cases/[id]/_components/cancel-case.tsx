'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { caseEventAction } from '../../actions';

/** Cancel with a confirmation step; says what cancelling does in this state. */
export function CancelCase({ caseId, version, tearsDown }: { caseId: string; version: number; tearsDown: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  async function cancel() {
    setPending(true);
    const res = await caseEventAction({ caseId, event: 'cancel', version });
    setPending(false);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    setConfirming(false);
    router.refresh();
  }

  if (!confirming) {
    return (
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          setConfirming(true);
          requestAnimationFrame(() => keepRef.current?.focus());
        }}
      >
        Cancel this case
      </Button>
    );
  }
  return (
    <div
      role="alertdialog"
      aria-labelledby="cancel-title"
      aria-describedby="cancel-desc"
      className="rounded-md bg-red-50 p-4 ring-1 ring-red-200"
    >
      <p id="cancel-title" className="font-semibold text-red-950">
        Cancel this case?
      </p>
      <p id="cancel-desc" className="mt-1 text-sm text-red-950">
        {tearsDown
          ? 'The endpoint being created in our edge account is deleted, then the case closes and its endpoint slot is freed.'
          : 'The case closes and its endpoint slot is freed. This cannot be undone: start a new case to try again.'}
      </p>
      {error ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-900">
          {error}
        </p>
      ) : null}
      <div className="mt-3 flex gap-2">
        <Button type="button" variant="danger" onClick={() => void cancel()} disabled={pending}>
          {pending ? 'Cancelling…' : 'Yes, cancel the case'}
        </Button>
        <Button type="button" variant="secondary" ref={keepRef} onClick={() => setConfirming(false)}>
          Keep it
        </Button>
      </div>
    </div>
  );
}
