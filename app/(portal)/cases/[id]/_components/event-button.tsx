'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { CaseEventName } from '@/lib/cases/machine';
import { caseEventAction } from '../../actions';

/** One button that fires one state-machine event at the version the page was rendered with. */
export function EventButton({ caseId, version, event, label }: { caseId: string; version: number; event: CaseEventName; label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function fire() {
    setPending(true);
    const res = await caseEventAction({ caseId, event, version });
    setPending(false);
    if (res.ok) router.refresh();
    else setError(res.message);
  }
  return (
    <div>
      <Button type="button" onClick={() => void fire()} disabled={pending}>
        {pending ? 'Working…' : label}
      </Button>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
