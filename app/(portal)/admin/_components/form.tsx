'use client';

import { type FormEvent, type ReactNode, startTransition, useActionState, useEffect, useId, useRef } from 'react';
import { cn } from '@/app/_components/ui/cn';
import type { ActionResult } from '@/lib/auth/guard';

/**
 * A form that calls a server action (lib/auth/guard.ts action()) through React's useActionState, keeps what was
 * typed when the server refuses it, and moves focus to the first field in error (or to the message when no field is
 * to blame). The action is dispatched from onSubmit rather than bound to the form's `action`: React resets a form
 * after its action runs, which would throw away what the person typed before they could fix it.
 */
export function useServerForm<T>(
  serverAction: (input: FormData) => Promise<ActionResult<T>>,
  opts: { onSuccess?: (data: T, form: HTMLFormElement) => void } = {},
) {
  const [result, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>((_previous, data) => serverAction(data), null);
  const formRef = useRef<HTMLFormElement>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const onSuccess = useRef(opts.onSuccess);
  onSuccess.current = opts.onSuccess;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  useEffect(() => {
    if (!result) return;
    if (result.ok) {
      if (formRef.current) onSuccess.current?.(result.data, formRef.current);
      return;
    }
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? messageRef.current)?.focus();
  }, [result]);

  const errorsFor = (name: string): string[] => (result && !result.ok ? (result.fieldErrors[name] ?? []) : []);
  return { formRef, messageRef, onSubmit, pending, result, errorsFor };
}

/** The form's outcome, announced: errors assertively (with the fields in error listed), success politely. */
export function FormMessage({
  result,
  messageRef,
  success,
  testId,
}: {
  result: ActionResult<unknown> | null;
  messageRef: React.RefObject<HTMLDivElement | null>;
  success?: ReactNode;
  testId?: string;
}) {
  const failed = result && !result.ok;
  const fields = failed ? Object.keys(result.fieldErrors).length : 0;
  return (
    <div
      ref={messageRef}
      tabIndex={-1}
      role={failed ? 'alert' : 'status'}
      aria-live={failed ? 'assertive' : 'polite'}
      data-testid={testId}
      className={
        result
          ? cn(
              'rounded-md p-3 text-sm ring-1',
              failed ? 'bg-red-50 text-red-900 ring-red-200' : 'bg-emerald-50 text-emerald-900 ring-emerald-200',
            )
          : 'sr-only'
      }
    >
      {failed ? `${result.message}${fields > 1 ? ` ${fields} fields need attention.` : ''}` : result ? success : null}
    </div>
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
