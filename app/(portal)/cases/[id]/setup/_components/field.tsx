'use client';

import type { FieldSpec } from '@/lib/providers';
import { cn } from '@/app/_components/ui/cn';
import { RulesEditor, type RuleRow } from './rules-editor';

const inputClass = (invalid: boolean) =>
  cn('mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm', invalid ? 'border-red-600' : 'border-slate-400');

/** One wizard field, labelled, with its help and its errors tied by aria-describedby. */
export function Field({
  spec,
  value,
  errors,
  warnings = [],
  nestedErrors,
  showAllErrors = false,
  onChange,
  onBlur,
  disabled,
}: {
  spec: FieldSpec;
  value: unknown;
  errors: string[];
  /** Allowed but probably not meant: shown, never blocking. */
  warnings?: string[];
  nestedErrors: Record<string, string[]>;
  /** Next or send was pressed: every cell's errors show, touched or not. */
  showAllErrors?: boolean;
  onChange: (v: unknown) => void;
  onBlur: () => void;
  disabled?: boolean;
}) {
  const id = `field-${spec.name}`;
  // A form exposes its controls as properties named after them, so a control named like a DOM property shadows it:
  // Redshift's "nodeType" field made the form's own nodeType an element, and React, which checks nodeType while
  // hydrating, took the server's form for a mismatch (React error #418 on every load of that step). Prefixed names
  // can never collide; the wizard reads values from state, not from the form.
  const controlName = `answer-${spec.name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const warningId = `${id}-warning`;
  const invalid = errors.length > 0;
  const describedBy = [helpId, invalid ? errorId : null, warnings.length ? warningId : null].filter(Boolean).join(' ');
  const errorList = (
    <>
      {invalid ? (
        <ul id={errorId} className="mt-1 space-y-0.5 text-sm text-red-800">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {warnings.length ? (
        <ul id={warningId} data-testid={`warning-${spec.name}`} className="mt-1 space-y-0.5 text-sm text-amber-900">
          {warnings.map((w) => (
            <li key={w}>
              <span className="font-semibold">Check: </span>
              {w}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );

  if (spec.kind === 'checkbox') {
    return (
      <div className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
        <div className="flex items-start gap-3">
          <input
            id={id}
            name={controlName}
            type="checkbox"
            checked={value === true}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked)}
            onBlur={onBlur}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            className="mt-0.5 h-5 w-5 rounded border-slate-400 accent-indigo-700"
          />
          <div>
            <label htmlFor={id} className="text-sm font-medium text-slate-900">
              {spec.label}
            </label>
            <p id={helpId} className="text-sm text-slate-700">
              {spec.help}
            </p>
          </div>
        </div>
        {errorList}
      </div>
    );
  }

  if (spec.kind === 'rules') {
    return (
      <fieldset aria-describedby={describedBy}>
        <legend className="text-sm font-medium text-slate-900">{spec.label}</legend>
        <p id={helpId} className="text-sm text-slate-700">
          {spec.help}
        </p>
        <RulesEditor
          name={spec.name}
          rows={Array.isArray(value) ? (value as RuleRow[]) : []}
          errors={nestedErrors}
          showAllErrors={showAllErrors}
          onChange={onChange}
          onBlur={onBlur}
          disabled={disabled}
        />
        {errorList}
      </fieldset>
    );
  }

  const text = value === undefined || value === null ? '' : String(value);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {spec.label}
      </label>
      <p id={helpId} className="text-sm text-slate-700">
        {spec.help}
      </p>
      {spec.kind === 'select' ? (
        <select
          id={id}
          name={controlName}
          value={text}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          className={inputClass(invalid)}
        >
          <option value="">Choose…</option>
          {(spec.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : spec.kind === 'textarea' ? (
        <textarea
          id={id}
          name={controlName}
          value={text}
          rows={8}
          disabled={disabled}
          placeholder={spec.placeholder}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          className={cn(inputClass(invalid), 'font-mono text-xs')}
          spellCheck={false}
        />
      ) : (
        <input
          id={id}
          name={controlName}
          type="text"
          inputMode={spec.kind === 'number' ? 'numeric' : undefined}
          value={text}
          disabled={disabled}
          placeholder={spec.placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          className={inputClass(invalid)}
        />
      )}
      {errorList}
    </div>
  );
}
