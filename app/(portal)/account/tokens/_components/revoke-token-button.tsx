'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/app/_components/ui/button';
import { revokeTokenAction } from '../actions';

/** Revoke a token after a confirmation; says why when it could not. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Revoke token ${name}`}
        onClick={() => {
          if (!window.confirm(`Revoke “${name}”? Scripts using it stop working at once.`)) return;
          startTransition(async () => {
            const r = await revokeTokenAction({ id });
            setMessage(r.ok ? null : r.message);
            if (r.ok) router.refresh();
          });
        }}
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </Button>
      <span role="status" className={message ? 'text-sm text-red-800' : 'sr-only'}>
        {message}
      </span>
    </span>
  );
}
