'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { CopyField } from '@/app/_components/ui/copy-field';
import { createUserAction } from '../actions';
import { errorsOf, FormMessage, initialFormState, SubmitButton, submitTo, TextField } from './form';
import { type Option, RoleFields } from './role-fields';

interface Created {
  email: string;
  name: string;
  password: string;
}

const submit = submitTo(createUserAction);

/**
 * New account. The generated password is shown once, here, until the admin dismisses it or leaves the page: the
 * server keeps only its bcrypt hash.
 */
export function CreateUserForm({ roles, workspaces, customerRoles }: { roles: Option[]; workspaces: Option[]; customerRoles: string[] }) {
  const [state, formAction] = useActionState(submit, initialFormState);
  // The panel outlives later submissions (a refused one must not hide a password not yet copied) until dismissed.
  const [created, setCreated] = useState<Created | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.result?.ok) setCreated(state.result.data);
  }, [state]);
  useEffect(() => {
    if (created) panelRef.current?.focus();
  }, [created]);
  // A success leaves a fresh, empty form (the role and workspace pickers included); a refusal keeps what was typed.
  const typed = state.result?.ok ? {} : state.values;

  return (
    <div className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h3 id="new-user-heading" className="text-base font-semibold text-slate-900">
        New account
      </h3>
      {created ? (
        <div
          ref={panelRef}
          tabIndex={-1}
          role="status"
          data-testid="one-time-password"
          className="space-y-2 rounded-md bg-amber-50 p-4 ring-1 ring-amber-300"
        >
          <p className="text-sm font-semibold text-amber-950">
            Account created for {created.name} ({created.email})
          </p>
          <p className="text-sm text-amber-950">
            This password is shown once: copy it now and give it to {created.name} over a secure channel. It is not stored anywhere and
            cannot be shown again.
          </p>
          <dl>
            <CopyField label="One-time password" value={created.password} testId="one-time-password-value" />
          </dl>
          <Button type="button" variant="secondary" onClick={() => setCreated(null)}>
            I have copied it
          </Button>
        </div>
      ) : null}
      <form action={formAction} noValidate aria-labelledby="new-user-heading" className="space-y-3">
        <FormMessage state={state} testId="user-form-message" />
        <TextField name="name" label="Name" defaultValue={typed.name} errors={errorsOf(state, 'name')} autoComplete="off" />
        <TextField
          name="email"
          label="E-mail"
          type="email"
          inputMode="email"
          defaultValue={typed.email}
          errors={errorsOf(state, 'email')}
          help="Their sign-in name; stored in lower case."
        />
        {/* Selects take their defaultValue only when mounted: a fresh pair per submission. */}
        <RoleFields
          key={state.submission}
          roles={roles}
          workspaces={workspaces}
          customerRoles={customerRoles}
          defaultRole={typed.role}
          defaultWorkspaceId={typed.workspaceId}
          errorsFor={(name) => errorsOf(state, name)}
        />
        <SubmitButton label="Create account" pendingLabel="Creating…" />
      </form>
    </div>
  );
}
