'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/app/_components/ui/button';
import { resendMessageAction } from '../actions';

/** Sends one failed or held message again; says so, or why not, to screen readers too. */
export function ResendButton({ id, subject }: { id: string; subject: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-end">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Send again: ${subject}`}
        className="px-2 py-1 text-xs"
        onClick={() =>
          startTransition(async () => {
            const r = await resendMessageAction({ id });
            if (r.ok) {
              setError(null);
              router.refresh();
            } else setError(r.message);
          })
        }
      >
        {pending ? 'Sending…' : 'Send again'}
      </Button>
      <span role="alert" className={error ? 'mt-1 text-xs text-red-800' : 'sr-only'}>
        {error}
      </span>
    </span>
  );
}
