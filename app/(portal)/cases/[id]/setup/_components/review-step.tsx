'use client';

import type { RefObject } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { InputPhase, ValidationIssue } from '@/lib/providers';
import { storedForReview } from './review-values';
import type { StepView } from './wizard';

const NEXT_WORDS: Record<InputPhase, string> = {
  draft:
    'When you submit, your CSM is notified and reviews the request. Once accepted, this page shows the edge account values you need for the next step.',
  details:
    'When you send these details, your CSM asks the edge team to provision the endpoint; an engineer other than the requester approves it.',
  after_endpoint: 'When you send this, the edge account points its DNS for your workspace at the endpoint and the case turns active.',
};

/** The last screen: everything entered in this phase, what still needs attention, and the one button that sends it. */
export function ReviewStep({
  headingRef,
  steps,
  values,
  checked,
  issues,
  finishLabel,
  submitting,
  disabled,
  onEdit,
  onBack,
  onFinish,
  phase,
}: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  steps: StepView[];
  values: Record<string, unknown>;
  /** The last check: the values it ran on, their stored form and the warnings. */
  checked: { values: Record<string, unknown>; stored: Record<string, unknown>; warnings: ValidationIssue[] };
  issues: ValidationIssue[];
  finishLabel: string;
  submitting: boolean;
  disabled: boolean;
  onEdit: (stepId: string) => void;
  onBack: () => void;
  onFinish: () => void;
  phase: InputPhase;
}) {
  // The stored form of an answer once the check has seen it; until then, the answer as typed.
  const seen = (name: string) => JSON.stringify(checked.values[name] ?? null) === JSON.stringify(values[name] ?? null);
  const display = (f: StepView['fields'][number]) =>
    storedForReview(f, seen(f.name) && f.name in checked.stored ? checked.stored[f.name] : values[f.name]);
  const warnings = checked.warnings.filter((w) => steps.some((s) => s.fields.some((f) => f.name === w.field)));
  const stepIssues = (s: StepView) => issues.filter((i) => s.fields.some((f) => i.field.split('.')[0] === f.name));
  return (
    <>
      <h2 id="step-heading" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
        Review
      </h2>
      <p className="mt-1 text-sm text-slate-700">Check your answers, shown as they will be stored. {NEXT_WORDS[phase]}</p>
      {issues.length > 0 ? (
        <div role="alert" className="mt-4 rounded-md bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200" data-testid="review-issues">
          <p className="font-semibold">
            {issues.length} field{issues.length === 1 ? ' needs' : 's need'} attention before you can continue
          </p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {issues.map((i) => (
              <li key={`${i.field}:${i.message}`}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div className="mt-4 rounded-md bg-amber-50 p-4 text-sm text-amber-950 ring-1 ring-amber-300" data-testid="review-warnings">
          <p className="font-semibold">
            Check {warnings.length === 1 ? 'this answer' : `these ${warnings.length} answers`} before you send (allowed, but rarely meant)
          </p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {warnings.map((w) => (
              <li key={`${w.field}:${w.message}`}>{w.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="mt-4 space-y-4">
        {steps.map((s) => (
          <section key={s.id} aria-labelledby={`review-${s.id}`} className="rounded-md ring-1 ring-slate-200">
            <div className="flex items-center justify-between bg-slate-50 px-4 py-2">
              <h3 id={`review-${s.id}`} className="text-sm font-semibold text-slate-900">
                {s.title}
              </h3>
              <button type="button" onClick={() => onEdit(s.id)} className="text-sm font-semibold text-indigo-800 underline">
                Change<span className="sr-only"> {s.title}</span>
              </button>
            </div>
            <dl className="divide-y divide-slate-100 px-4">
              {s.fields.map((f) => (
                <div key={f.name} className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-[14rem_minmax(0,1fr)]">
                  <dt className="text-sm text-slate-700">{f.label}</dt>
                  <dd className="whitespace-pre-line break-words text-sm text-slate-900" data-testid={`review-${f.name}`}>
                    {display(f)}
                  </dd>
                </div>
              ))}
            </dl>
            {stepIssues(s).length > 0 ? <p className="px-4 pb-2 text-sm text-red-800">Needs attention</p> : null}
          </section>
        ))}
      </div>
      <div className="mt-6 flex items-center justify-between gap-3 border-t border-slate-200 pt-4">
        <Button type="button" variant="secondary" onClick={onBack}>
          Back
        </Button>
        <Button type="button" onClick={onFinish} disabled={disabled || submitting || issues.length > 0}>
          {submitting ? 'Sending…' : finishLabel}
        </Button>
      </div>
    </>
  );
}
