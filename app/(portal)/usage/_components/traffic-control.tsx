'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useEffect, useId, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { FieldErrors } from '@/lib/errors';
import { setSandboxTrafficAction } from '../actions';

const input = 'mt-1 block w-28 rounded-md border border-slate-400 px-2 py-1.5 text-sm';

// After a save, how often and how many times the page asks the server again for the endpoint's bytes: the usage
// collection reads the change within a round of the reconciler (about a second in the embedded default).
const REFRESH_MS = 2_000;
const REFRESH_TIMES = 10;

/**
 * Sandbox controls for one endpoint's simulated traffic: its daily rate (empty: its own generated pattern) and a
 * one-off transfer today. After saving, the page refreshes itself until the endpoint's bytes this month (`seenBytes`,
 * as the page was rendered) change, or it has asked ten times.
 */
export function TrafficControl({
  endpointId,
  vpcEndpointId,
  gibPerDay,
  seenBytes,
}: {
  endpointId: string;
  vpcEndpointId: string;
  gibPerDay: number | null;
  seenBytes: number;
}) {
  const router = useRouter();
  const id = useId();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  // The bytes the page showed when the save went through, while waiting for the collection to read the change.
  const [waitingFrom, setWaitingFrom] = useState<number | null>(null);

  useEffect(() => {
    if (waitingFrom === null) return;
    if (seenBytes !== waitingFrom) {
      setWaitingFrom(null);
      return;
    }
    let asked = 0;
    const timer = setInterval(() => {
      asked += 1;
      if (asked > REFRESH_TIMES) {
        clearInterval(timer);
        setWaitingFrom(null);
      } else startTransition(() => router.refresh());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waitingFrom, seenBytes, router]);

  async function save(form: FormData) {
    setPending(true);
    setMessage(null);
    setErrors({});
    const res = await setSandboxTrafficAction({
      endpointId,
      gibPerDay: String(form.get('gibPerDay') ?? ''),
      addTodayGb: String(form.get('addTodayGb') ?? ''),
    });
    setPending(false);
    if (res.ok) {
      setMessage({ ok: true, text: res.data.message });
      setWaitingFrom(seenBytes);
    } else {
      setMessage({ ok: false, text: res.message });
      setErrors(res.fieldErrors);
    }
  }

  const field = (name: 'gibPerDay' | 'addTodayGb', label: string, hint: string, defaultValue: string) => {
    const error = errors[name]?.[0];
    return (
      <label className="text-sm font-medium text-slate-900">
        {label}
        <input
          name={name}
          inputMode="decimal"
          defaultValue={defaultValue}
          placeholder={hint}
          className={input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${name}-error` : undefined}
        />
        {error ? (
          <span id={`${id}-${name}-error`} className="mt-1 block max-w-xs text-xs font-normal text-red-800">
            {error}
          </span>
        ) : null}
      </label>
    );
  };

  return (
    <form action={save} className="flex flex-wrap items-start gap-3" aria-label={`Simulated traffic of ${vpcEndpointId}`}>
      {field('gibPerDay', 'GB a day', 'generated', gibPerDay === null ? '' : String(gibPerDay))}
      {field('addTodayGb', 'One-off today, GB', 'none', '')}
      <div className="pt-6">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Set traffic'}
        </Button>
      </div>
      <p
        role="status"
        aria-live="polite"
        data-testid="traffic-result"
        className={message ? `basis-full text-sm ${message.ok ? 'text-emerald-900' : 'text-red-800'}` : 'sr-only'}
      >
        {message?.text}
      </p>
    </form>
  );
}
