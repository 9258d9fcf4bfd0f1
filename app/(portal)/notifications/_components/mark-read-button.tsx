'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/app/_components/ui/button';
import { markNotificationsReadAction } from '../actions';

/** Marks one notification (id) or all of them read; says so, or why not, to screen readers too. */
export function MarkReadButton({ id, label, accessibleName }: { id?: string; label: string; accessibleName?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-col items-end">
      <Button
        type="button"
        variant={id ? 'ghost' : 'secondary'}
        disabled={pending}
        aria-label={accessibleName}
        className={id ? 'px-2 py-1 text-xs' : undefined}
        onClick={() =>
          startTransition(async () => {
            const r = await markNotificationsReadAction(id ? { id } : {});
            if (r.ok) {
              setError(null);
              router.refresh();
            } else setError(r.message);
          })
        }
      >
        {pending ? 'Marking…' : label}
      </Button>
      <span role="alert" className={error ? 'mt-1 text-xs text-red-800' : 'sr-only'}>
        {error}
      </span>
    </span>
  );
}
