'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { CaseEventName } from '@/lib/cases/machine';
import { caseEventAction } from '../../actions';

export interface ActionOption {
  event: CaseEventName;
  label: string;
  to: string;
  enabled: boolean;
  why: string | null;
  needsReason: boolean;
}

/** Every transition out of the current state: the ones this user may press, and the others disabled with why. */
export function StaffActions({ caseId, version, options }: { caseId: string; version: number; options: ActionOption[] }) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  // Decommissioning deletes what the customer's connection runs on: it asks once more, as the customer's cancel does.
  const [confirming, setConfirming] = useState<ActionOption | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const reasonId = useId();
  const anyReason = options.some((o) => o.enabled && o.needsReason);

  async function fire(o: ActionOption, confirmed = false) {
    if (o.needsReason && reason.trim().length < 3) {
      setResult({
        ok: false,
        text: `Give a reason to ${o.label.toLowerCase()} (at least 3 characters): it is recorded and shown to the customer.`,
      });
      reasonRef.current?.focus();
      return;
    }
    if (o.event === 'decommission' && !confirmed) {
      setConfirming(o);
      return;
    }
    setConfirming(null);
    setPending(o.event);
    const res = await caseEventAction({ caseId, event: o.event, version, note: reason.trim() || undefined });
    setPending(null);
    if (res.ok) {
      setReason('');
      setResult({ ok: true, text: `${o.label}: the case is now ${res.data.state.replace(/_/g, ' ')}.` });
      router.refresh();
    } else setResult({ ok: false, text: res.message });
  }

  return (
    <section aria-labelledby="actions-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="actions-heading" className="text-lg font-semibold text-slate-900">
        Actions
      </h2>
      {options.length === 0 ? <p className="mt-2 text-sm text-slate-700">This case is closed: no transition leaves this state.</p> : null}
      {anyReason ? (
        <div className="mt-3">
          <label htmlFor={reasonId} className="block text-sm font-medium text-slate-900">
            Reason (shown to the customer)
          </label>
          <textarea
            id={reasonId}
            ref={reasonRef}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={2}
            className="mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 text-sm"
          />
          <p className="mt-1 text-xs text-slate-700">
            Required to request changes, reject, send back, suspend or decommission. The customer reads it on the case and in their
            notification; for staff-only words, add an internal note below.
          </p>
        </div>
      ) : null}
      <ul className="mt-3 space-y-2">
        {options.map((o) => (
          <li key={o.event} className="flex flex-wrap items-center gap-3">
            <Button
              type="button"
              variant={o.event === 'reject' || o.event === 'decommission' || o.event === 'cancel' ? 'danger' : 'primary'}
              disabled={!o.enabled || pending !== null}
              onClick={() => void fire(o)}
              aria-describedby={o.why ? `why-${o.event}` : undefined}
              data-testid={`action-${o.event}`}
            >
              {pending === o.event ? 'Working…' : o.label}
            </Button>
            <span className="text-sm text-slate-700">→ {o.to}</span>
            {o.why ? (
              <span id={`why-${o.event}`} className="text-sm text-slate-700">
                {o.why}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {confirming ? (
        <div role="alertdialog" aria-labelledby="confirm-decommission" className="mt-3 rounded-md bg-red-50 p-3 ring-1 ring-red-300">
          <p id="confirm-decommission" className="text-sm text-red-950">
            Decommission this endpoint? The portal deletes the VPC endpoint and its DNS records in the edge account, and the customer's
            connection stops. The reason above is recorded and shown to the customer.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button type="button" variant="danger" onClick={() => void fire(confirming, true)} data-testid="confirm-decommission">
              Yes, decommission
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
              Keep it
            </Button>
          </div>
        </div>
      ) : null}
      <p
        role="status"
        aria-live="polite"
        data-testid="action-result"
        className={
          result ? `mt-3 rounded-md p-2 text-sm ${result.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}` : 'sr-only'
        }
      >
        {result?.text}
      </p>
    </section>
  );
}
