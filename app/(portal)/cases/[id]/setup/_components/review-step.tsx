'use client';

import type { RefObject } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { InputPhase, ValidationIssue } from '@/lib/providers';
import type { StepView } from './wizard';

function show(v: unknown): string {
  if (v === true) return 'Yes';
  if (v === false || v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) {
    return v.length === 0
      ? 'None'
      : v
          .map((r) => {
            const rule = r as Record<string, unknown>;
            const ports =
              rule.fromPort !== undefined && rule.fromPort !== ''
                ? ` port ${rule.fromPort}${rule.toPort && rule.toPort !== rule.fromPort ? `–${rule.toPort}` : ''}`
                : '';
            return `${rule.cidr ?? '?'} ${String(rule.protocol ?? 'tcp').toUpperCase()}${ports}`;
          })
          .join('; ');
  }
  const text = String(v);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

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
  issues: ValidationIssue[];
  finishLabel: string;
  submitting: boolean;
  disabled: boolean;
  onEdit: (stepId: string) => void;
  onBack: () => void;
  onFinish: () => void;
  phase: InputPhase;
}) {
  const stepIssues = (s: StepView) => issues.filter((i) => s.fields.some((f) => i.field.split('.')[0] === f.name));
  return (
    <>
      <h2 id="step-heading" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
        Review
      </h2>
      <p className="mt-1 text-sm text-slate-700">Check what you entered. {NEXT_WORDS[phase]}</p>
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
                <div key={f.name} className="grid gap-1 py-2 sm:grid-cols-[14rem_1fr]">
                  <dt className="text-sm text-slate-700">{f.label}</dt>
                  <dd className="break-all text-sm text-slate-900">{show(values[f.name])}</dd>
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
