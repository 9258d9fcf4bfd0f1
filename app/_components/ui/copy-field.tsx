import { CopyButton } from './copy-button';

/** A labelled value the user pastes somewhere else, with a copy button. */
export function CopyField({ label, value, help, testId }: { label: string; value: string; help?: string; testId?: string }) {
  return (
    <div className="rounded-md bg-white p-3 ring-1 ring-slate-200">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-700">{label}</dt>
      <dd className="mt-1 flex items-start justify-between gap-3">
        <code className="break-all font-mono text-sm text-slate-900" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} label={label} />
      </dd>
      {help ? <dd className="mt-1 text-xs text-slate-700">{help}</dd> : null}
    </div>
  );
}
