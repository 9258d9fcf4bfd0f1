'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/app/_components/ui/button';
import { startCaseAction } from '../../actions';
import type { Warehouse } from '@/lib/domain/warehouses';

export interface WarehouseCard {
  warehouse: Warehouse;
  name: string;
  summary: string;
  needs: string[];
}

export function WarehouseCards({
  cards,
  regions,
  blockedReason,
}: {
  cards: WarehouseCard[];
  regions: string[];
  blockedReason: string | null;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [chosen, setChosen] = useState<Warehouse | null>(null);
  const [error, setError] = useState<string | null>(null);

  function start(warehouse: Warehouse) {
    setChosen(warehouse);
    setError(null);
    startTransition(async () => {
      const res = await startCaseAction({ warehouse });
      if (res.ok) router.push(`/cases/${res.data.id}/setup`);
      else setError(res.message);
    });
  }

  return (
    <>
      <div
        role="alert"
        aria-live="assertive"
        className={error ? 'mb-4 rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200' : 'sr-only'}
      >
        {error}
      </div>
      <ul className="grid gap-4 md:grid-cols-2">
        {cards.map((c) => (
          <li key={c.warehouse} className="flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-lg font-semibold text-slate-900">{c.name}</h2>
            <p className="mt-1 text-sm text-slate-700">{c.summary}</p>
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-700">What you need</h3>
            <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800">
              {c.needs.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
            <p className="mt-3 text-sm text-slate-700">Eligible regions: {regions.join(', ')}</p>
            <div className="mt-auto pt-4">
              <Button
                type="button"
                onClick={() => start(c.warehouse)}
                disabled={pending || blockedReason !== null}
                aria-describedby={blockedReason ? 'limit-reason' : undefined}
              >
                {pending && chosen === c.warehouse ? 'Starting…' : `Set up ${c.name}`}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
