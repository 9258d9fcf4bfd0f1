'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { StoredPreflight } from '@/lib/preflight';
import { runPreflightAction } from '../../actions';
import { PreflightList } from './preflight-list';

/**
 * "Check from our side": runs the case's checks from the edge account and shows the result; with `stepId`, only the
 * checks of that wizard step. The same checks run by themselves when the details are sent and on approval.
 */
export function PreflightPanel({
  caseId,
  initial,
  stepId,
  title = 'Check from our side',
  beforeRun,
}: {
  caseId: string;
  initial: StoredPreflight | null;
  stepId?: string;
  title?: string;
  /** Runs first (the wizard saves the step, so the check sees what was typed); false stops the check. */
  beforeRun?: () => Promise<boolean>;
}) {
  const router = useRouter();
  const [preflight, setPreflight] = useState(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checks = preflight?.checks.filter((k) => !stepId || k.stepId === stepId || k.stepId === '') ?? [];

  async function run() {
    setPending(true);
    setError(null);
    if (beforeRun && !(await beforeRun())) {
      setPending(false);
      return setError('Save the step first: fix the highlighted fields, then check again.');
    }
    const res = await runPreflightAction({ caseId });
    setPending(false);
    if (!res.ok) return setError(res.message);
    setPreflight(res.data);
    router.refresh();
  }

  return (
    <section aria-labelledby={`preflight-${stepId ?? 'all'}`} className="mt-4 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={`preflight-${stepId ?? 'all'}`} className="text-sm font-semibold text-slate-900">
          {title}
        </h3>
        <Button type="button" variant="secondary" onClick={() => void run()} disabled={pending}>
          {pending ? 'Checking…' : preflight ? 'Check again' : 'Check from our side'}
        </Button>
      </div>
      <p className="mt-1 text-xs text-slate-700">
        We look at your side from our edge account, as AWS shows it to this workspace — nothing to confirm by hand.
      </p>
      <div aria-live="polite" className="mt-3">
        {error ? (
          <p role="alert" className="text-sm text-red-800">
            {error}
          </p>
        ) : null}
        {preflight ? <PreflightList preflight={preflight} checks={checks} /> : null}
      </div>
    </section>
  );
}
