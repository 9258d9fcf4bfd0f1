'use client';

import { useState } from 'react';
import { cn } from '@/app/_components/ui/cn';

export interface RuleRow {
  cidr?: string;
  protocol?: string;
  fromPort?: string | number;
  toPort?: string | number;
}

const cell = (invalid: boolean) =>
  cn('block w-full rounded-md border px-2 py-1.5 text-sm', invalid ? 'border-red-600' : 'border-slate-400');

/** The NLB security group's inbound rules, one row each: source CIDR, protocol, port range. */
export function RulesEditor({
  name,
  rows,
  errors,
  showAllErrors,
  onChange,
  onBlur,
  disabled,
}: {
  name: string;
  rows: RuleRow[];
  errors: Record<string, string[]>;
  /** Next was pressed: errors of cells not yet visited show too. */
  showAllErrors: boolean;
  onChange: (rows: RuleRow[]) => void;
  onBlur: () => void;
  disabled?: boolean;
}) {
  // A cell's errors show once the person has left it (or pressed Next): a rule just added is empty, not wrong.
  const [visited, setVisited] = useState<Set<string>>(new Set());
  const leave = (i: number, key: string) => () => {
    setVisited((v) => new Set(v).add(`${i}.${key}`));
    onBlur();
  };
  const shown = (i: number, key: string) => showAllErrors || visited.has(`${i}.${key}`);
  const rowShown = (i: number) => showAllErrors || ['cidr', 'fromPort', 'toPort'].every((k) => visited.has(`${i}.${k}`));
  const set = (i: number, patch: Partial<RuleRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const err = (i: number, key: string) => (shown(i, key) ? (errors[`${name}.${i}.${key}`] ?? []) : []);
  const remove = (i: number) => {
    // Visited cells move up with the rows below the one removed.
    setVisited(
      (v) =>
        new Set(
          [...v].flatMap((k) => {
            const [row, key] = k.split('.') as [string, string];
            const n = Number(row);
            return n === i ? [] : [`${n > i ? n - 1 : n}.${key}`];
          }),
        ),
    );
    onChange(rows.filter((_, j) => j !== i));
  };
  return (
    <div className="mt-2 space-y-3">
      {rows.map((r, i) => {
        const problems = [
          ...err(i, 'cidr'),
          ...err(i, 'protocol'),
          ...err(i, 'fromPort'),
          ...err(i, 'toPort'),
          ...(rowShown(i) ? (errors[`${name}.${i}`] ?? []) : []),
        ];
        const errId = `${name}-${i}-error`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity of their own; every input is controlled by its row
          <fieldset key={i} aria-label={`Inbound rule ${i + 1}`} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-[2fr_1fr_1fr_1fr_auto] sm:items-end">
              <label className="text-xs font-medium text-slate-800">
                Source CIDR
                <input
                  className={cell(err(i, 'cidr').length > 0)}
                  value={r.cidr ?? ''}
                  placeholder="10.0.0.0/8"
                  disabled={disabled}
                  aria-invalid={err(i, 'cidr').length > 0}
                  aria-describedby={problems.length ? errId : undefined}
                  onChange={(e) => set(i, { cidr: e.target.value })}
                  onBlur={leave(i, 'cidr')}
                />
              </label>
              <label className="text-xs font-medium text-slate-800">
                Protocol
                <select
                  className={cell(err(i, 'protocol').length > 0)}
                  value={r.protocol ?? 'tcp'}
                  disabled={disabled}
                  onChange={(e) => set(i, { protocol: e.target.value })}
                  onBlur={leave(i, 'protocol')}
                >
                  <option value="tcp">TCP</option>
                  <option value="all">All traffic</option>
                  <option value="udp">UDP</option>
                  <option value="icmp">ICMP</option>
                </select>
              </label>
              <label className="text-xs font-medium text-slate-800">
                From port
                <input
                  className={cell(err(i, 'fromPort').length > 0)}
                  inputMode="numeric"
                  value={r.fromPort ?? ''}
                  disabled={disabled}
                  aria-invalid={err(i, 'fromPort').length > 0}
                  aria-describedby={problems.length ? errId : undefined}
                  onChange={(e) => set(i, { fromPort: e.target.value })}
                  onBlur={leave(i, 'fromPort')}
                />
              </label>
              <label className="text-xs font-medium text-slate-800">
                To port
                <input
                  className={cell(err(i, 'toPort').length > 0)}
                  inputMode="numeric"
                  value={r.toPort ?? ''}
                  disabled={disabled}
                  aria-invalid={err(i, 'toPort').length > 0}
                  aria-describedby={problems.length ? errId : undefined}
                  onChange={(e) => set(i, { toPort: e.target.value })}
                  onBlur={leave(i, 'toPort')}
                />
              </label>
              <button
                type="button"
                disabled={disabled}
                onClick={() => remove(i)}
                className="rounded-md px-2 py-1.5 text-sm font-medium text-red-800 ring-1 ring-inset ring-red-300 hover:bg-red-50"
              >
                Remove<span className="sr-only"> rule {i + 1}</span>
              </button>
            </div>
            {problems.length ? (
              <ul id={errId} className="mt-2 space-y-0.5 text-sm text-red-800">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
          </fieldset>
        );
      })}
      <button
        type="button"
        disabled={disabled}
        onClick={() => onChange([...rows, { cidr: '', protocol: 'tcp', fromPort: '', toPort: '' }])}
        className="rounded-md px-3 py-1.5 text-sm font-semibold text-indigo-800 ring-1 ring-inset ring-indigo-300 hover:bg-indigo-50"
      >
        Add an inbound rule
      </button>
    </div>
  );
}
