'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import { CopyField } from '@/app/_components/ui/copy-field';
import { createUserAction } from '../actions';
import { FormMessage, TextField, useServerForm } from './form';
import { type Option, RoleFields } from './role-fields';

interface Created {
  email: string;
  name: string;
  password: string;
}

/**
 * New account. The generated password is shown once, here, until the admin dismisses it or leaves the page: the
 * server keeps only its bcrypt hash.
 */
export function CreateUserForm({ roles, workspaces, customerRoles }: { roles: Option[]; workspaces: Option[]; customerRoles: string[] }) {
  const [created, setCreated] = useState<Created | null>(null);
  const [formKey, setFormKey] = useState(0);
  const panelRef = useRef<HTMLDivElement>(null);
  const f = useServerForm(createUserAction, {
    onSuccess: (data) => {
      setCreated(data);
      setFormKey((k) => k + 1); // a fresh, empty form (the role and workspace pickers included)
    },
  });
  useEffect(() => {
    if (created) panelRef.current?.focus();
  }, [created]);

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
      <form key={formKey} ref={f.formRef} onSubmit={f.onSubmit} noValidate aria-labelledby="new-user-heading" className="space-y-3">
        <FormMessage result={f.result && !f.result.ok ? f.result : null} messageRef={f.messageRef} testId="user-form-message" />
        <TextField name="name" label="Name" errors={f.errorsFor('name')} autoComplete="off" />
        <TextField
          name="email"
          label="E-mail"
          type="email"
          inputMode="email"
          errors={f.errorsFor('email')}
          help="Their sign-in name; stored in lower case."
        />
        <RoleFields roles={roles} workspaces={workspaces} customerRoles={customerRoles} errorsFor={f.errorsFor} />
        <Button type="submit" disabled={f.pending}>
          {f.pending ? 'Creating…' : 'Create account'}
        </Button>
      </form>
    </div>
  );
}
