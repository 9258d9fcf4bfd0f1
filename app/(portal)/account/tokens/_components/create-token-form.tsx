'use client';

import { useActionState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { CopyField } from '@/app/_components/ui/copy-field';
import { createTokenAction } from '../actions';

type State = Awaited<ReturnType<typeof createTokenAction>> | null;

const inputClass = 'mt-1 block w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm';

/** Name, scope and expiry; on success the token is shown once, with a copy button. */
export function CreateTokenForm({ defaultExpiry, maxExpiry, minExpiry }: { defaultExpiry: string; maxExpiry: string; minExpiry: string }) {
  const [state, formAction, pending] = useActionState<State, FormData>(createTokenAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const err = (name: string) =>
    errors[name]?.length ? (
      <p id={`${name}-error`} className="mt-1 text-sm text-red-800">
        {errors[name].join(' ')}
      </p>
    ) : null;
  return (
    <div>
      <form action={formAction} aria-label="New API token" className="grid gap-4 sm:grid-cols-3">
        <label className="text-sm font-medium text-slate-900">
          Name
          <input
            name="name"
            required
            maxLength={80}
            placeholder="nightly-terraform"
            className={inputClass}
            aria-invalid={Boolean(errors.name)}
            aria-describedby={errors.name ? 'name-error' : undefined}
          />
          {err('name')}
        </label>
        <label className="text-sm font-medium text-slate-900">
          Scope
          <select name="scope" defaultValue="read" className={inputClass} aria-describedby="scope-help">
            <option value="read">read: lists and reads</option>
            <option value="write">write: also creates and changes cases</option>
          </select>
          <span id="scope-help" className="mt-1 block text-xs font-normal text-slate-700">
            Either way the token can do no more than your role.
          </span>
          {err('scope')}
        </label>
        <label className="text-sm font-medium text-slate-900">
          Expires on (UTC)
          <input
            type="date"
            name="expiresAt"
            required
            defaultValue={defaultExpiry}
            min={minExpiry}
            max={maxExpiry}
            className={inputClass}
            aria-invalid={Boolean(errors.expiresAt)}
            aria-describedby={errors.expiresAt ? 'expiresAt-error' : 'expiresAt-help'}
          />
          <span id="expiresAt-help" className="mt-1 block text-xs font-normal text-slate-700">
            At most a year from today.
          </span>
          {err('expiresAt')}
        </label>
        <div className="sm:col-span-3 flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </Button>
          <span role="status" aria-live="polite" className={state && !state.ok ? 'text-sm text-red-800' : 'sr-only'}>
            {state && !state.ok ? state.message : ''}
          </span>
        </div>
      </form>
      {state?.ok ? (
        <div role="status" aria-live="polite" className="mt-4 rounded-md bg-emerald-50 p-3 ring-1 ring-emerald-200">
          <p className="mb-2 text-sm font-semibold text-emerald-900">
            Token “{state.data.name}” created. Copy it now: it is shown only this once.
          </p>
          <dl>
            <CopyField label="API token" value={state.data.token} testId="new-token" />
          </dl>
        </div>
      ) : null}
    </div>
  );
}
