'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from '@/app/_components/ui/button';
import { cn } from '@/app/_components/ui/cn';
import type { ActionResult } from '@/lib/auth/guard';

/**
 * What an admin form's useActionState holds: the server action's last result, the text that was submitted with it and
 * how many submissions there were. React resets an uncontrolled `<form action>` once its action has run
 * (https://react.dev/reference/react-dom/components/form), so the fields take `values` as their defaultValue: what the
 * person typed comes back when the server refuses it.
 */
export interface FormState<T> {
  result: ActionResult<T> | null;
  values: Record<string, string>;
  submission: number;
}

export const initialFormState: FormState<never> = { result: null, values: {}, submission: 0 };

/** The action useActionState runs for a form: the server action (lib/auth/guard.ts action()) plus what was sent. */
export function submitTo<T>(serverAction: (input: FormData) => Promise<ActionResult<T>>) {
  return async (previous: FormState<T>, data: FormData): Promise<FormState<T>> => {
    const values: Record<string, string> = {};
    for (const [key, value] of data.entries()) {
      if (typeof value === 'string' && !key.startsWith('$ACTION')) values[key] = value;
    }
    return { result: await serverAction(data), values, submission: previous.submission + 1 };
  };
}

/** The field's errors from the last result, none before the first submission or after a success. */
export const errorsOf = (state: FormState<unknown>, name: string): string[] =>
  state.result && !state.result.ok ? (state.result.fieldErrors[name] ?? []) : [];

/**
 * The form's outcome, announced: errors assertively (with the fields in error listed), success politely. After a
 * refusal the focus moves to the first field in error, or to this message when no field is to blame.
 */
export function FormMessage({ state, success, testId }: { state: FormState<unknown>; success?: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { result } = state;
  const failed = result !== null && !result.ok;
  const shown = failed || (result?.ok === true && success != null);
  useEffect(() => {
    if (!state.result || state.result.ok) return;
    const first = ref.current?.closest('form')?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? ref.current)?.focus();
  }, [state]);
  const fields = failed ? Object.keys(result.fieldErrors).length : 0;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={failed ? 'alert' : 'status'}
      aria-live={failed ? 'assertive' : 'polite'}
      data-testid={testId}
      className={
        shown
          ? cn(
              'rounded-md p-3 text-sm ring-1',
              failed ? 'bg-red-50 text-red-900 ring-red-200' : 'bg-emerald-50 text-emerald-900 ring-emerald-200',
            )
          : 'sr-only'
      }
    >
      {failed ? `${result.message}${fields > 1 ? ` ${fields} fields need attention.` : ''}` : shown ? success : null}
    </div>
  );
}

/** The form's submit button, disabled with a "…ing" label while its action runs (useFormStatus reads the parent form). */
export function SubmitButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending}>
      {pending ? pendingLabel : label}
    </Button>
  );
}

const inputClass = (invalid: boolean) =>
  cn(
    'mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:border-indigo-600',
    invalid ? 'border-red-600' : 'border-slate-400',
  );

interface FieldProps {
  name: string;
  label: string;
  help?: string;
  errors: string[];
  className?: string;
}

/** Label, help and errors around one control, tied together with aria-describedby. */
function FieldFrame({
  name,
  label,
  help,
  errors,
  className,
  children,
}: FieldProps & { children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const base = `${useId()}-${name}`;
  const helpId = help ? `${base}-help` : null;
  const errorId = errors.length ? `${base}-error` : null;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={base} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {children({ id: base, 'aria-invalid': errors.length > 0, 'aria-describedby': describedBy })}
      {help ? (
        <p id={helpId!} className="mt-1 text-xs text-slate-700">
          {help}
        </p>
      ) : null}
      {errorId ? (
        <ul id={errorId} className="mt-1 space-y-0.5 text-sm text-red-800">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function TextField({
  type = 'text',
  defaultValue,
  autoComplete,
  inputMode,
  ...p
}: FieldProps & {
  type?: 'text' | 'email' | 'number';
  defaultValue?: string | number;
  autoComplete?: string;
  inputMode?: 'numeric' | 'email' | 'text';
}) {
  return (
    <FieldFrame {...p}>
      {(a11y) => (
        <input
          {...a11y}
          name={p.name}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete ?? 'off'}
          inputMode={inputMode}
          spellCheck={false}
          className={inputClass(p.errors.length > 0)}
        />
      )}
    </FieldFrame>
  );
}

export function TextAreaField({ defaultValue, rows = 3, ...p }: FieldProps & { defaultValue?: string; rows?: number }) {
  return (
    <FieldFrame {...p}>
      {(a11y) => <textarea {...a11y} name={p.name} defaultValue={defaultValue} rows={rows} className={inputClass(p.errors.length > 0)} />}
    </FieldFrame>
  );
}

export function SelectField({
  options,
  defaultValue,
  onChange,
  ...p
}: FieldProps & {
  options: { value: string; label: string }[];
  defaultValue?: string;
  onChange?: (value: string) => void;
}) {
  return (
    <FieldFrame {...p}>
      {(a11y) => (
        <select
          {...a11y}
          name={p.name}
          defaultValue={defaultValue}
          onChange={(e) => onChange?.(e.target.value)}
          className={inputClass(p.errors.length > 0)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
