'use client';

import { Button } from '@/app/_components/ui/button';
import { changeRoleAction } from '../actions';
import { FormMessage, useServerForm } from './form';
import { type Option, RoleFields } from './role-fields';

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
  const f = useServerForm(changeRoleAction);
  const label = (value: string) => roles.find((r) => r.value === value)?.label ?? value;
  return (
    <form
      ref={f.formRef}
      onSubmit={f.onSubmit}
      noValidate
      aria-labelledby="role-heading"
      className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id="role-heading" className="text-base font-semibold text-slate-900">
        Role
      </h2>
      <FormMessage
        result={f.result}
        messageRef={f.messageRef}
        testId="role-form-message"
        success={
          f.result?.ok
            ? f.result.data.changed
              ? `Role changed to ${label(f.result.data.role)}. It applies from their next click.`
              : 'Nothing changed: that is already their role and workspace.'
            : null
        }
      />
      <input type="hidden" name="userId" value={userId} />
      <RoleFields
        roles={roles}
        workspaces={workspaces}
        customerRoles={customerRoles}
        defaultRole={role}
        defaultWorkspaceId={workspaceId}
        errorsFor={f.errorsFor}
      />
      <Button type="submit" disabled={f.pending}>
        {f.pending ? 'Saving…' : 'Change role'}
      </Button>
    </form>
  );
}
