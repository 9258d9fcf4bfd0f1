'use client';

import { useActionState } from 'react';
import { changeRoleAction } from '../actions';
import { errorsOf, FormMessage, initialFormState, SubmitButton, submitTo } from './form';
import { type Option, RoleFields } from './role-fields';

const submit = submitTo(changeRoleAction);

/** Change an account's role and, with it, its workspace. */
export function ChangeRoleForm({
  userId,
  role,
  workspaceId,
  roles,
  workspaces,
  customerRoles,
}: {
  userId: string;
  role: string;
  workspaceId: string | null;
  roles: Option[];
  workspaces: Option[];
  customerRoles: string[];
}) {
  const [state, formAction] = useActionState(submit, initialFormState);
  const label = (value: string) => roles.find((r) => r.value === value)?.label ?? value;
  const submitted = state.result !== null;
  return (
    <form
      action={formAction}
      noValidate
      aria-labelledby="role-heading"
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id="role-heading" className="text-base font-semibold text-slate-900">
        Role
      </h2>
      <FormMessage
        state={state}
        testId="role-form-message"
        success={
          state.result?.ok
            ? state.result.data.changed
              ? `Role changed to ${label(state.result.data.role)}. It applies from their next click.`
              : 'Nothing changed: that is already their role and workspace.'
            : null
        }
      />
      <input type="hidden" name="userId" value={userId} />
      {/* Selects take their defaultValue only when mounted: a fresh pair per submission shows what was sent. */}
      <RoleFields
        key={state.submission}
        roles={roles}
        workspaces={workspaces}
        customerRoles={customerRoles}
        defaultRole={submitted ? (state.values.role ?? '') : role}
        defaultWorkspaceId={submitted ? (state.values.workspaceId ?? null) : workspaceId}
        errorsFor={(name) => errorsOf(state, name)}
      />
      <SubmitButton label="Change role" pendingLabel="Saving…" />
    </form>
  );
}
