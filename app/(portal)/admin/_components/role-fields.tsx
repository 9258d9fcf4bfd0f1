'use client';

import { useState } from 'react';
import { SelectField } from './form';

export interface Option {
  value: string;
  label: string;
}

/**
 * Role and workspace together: customers belong to one workspace, staff to none, so the workspace list is offered
 * only for customer roles (a disabled select is not submitted).
 */
export function RoleFields({
  roles,
  workspaces,
  customerRoles,
  defaultRole,
  defaultWorkspaceId,
  errorsFor,
}: {
  roles: Option[];
  workspaces: Option[];
  customerRoles: string[];
  defaultRole?: string;
  defaultWorkspaceId?: string | null;
  errorsFor: (name: string) => string[];
}) {
  const [role, setRole] = useState(defaultRole ?? '');
  const customer = customerRoles.includes(role);
  return (
    <>
      <SelectField
        name="role"
        label="Role"
        errors={errorsFor('role')}
        defaultValue={defaultRole ?? ''}
        onChange={setRole}
        options={[{ value: '', label: 'Choose a role…' }, ...roles]}
        help="Workspace roles see only their workspace; CSMs, engineers and administrators see every workspace."
      />
      {customer ? (
        <SelectField
          key="ws"
          name="workspaceId"
          label="Workspace"
          errors={errorsFor('workspaceId')}
          defaultValue={defaultWorkspaceId ?? ''}
          options={[{ value: '', label: 'Choose a workspace…' }, ...workspaces]}
          help="The customer workspace this person belongs to."
        />
      ) : (
        <div>
          <p className="block text-sm font-medium text-slate-900">Workspace</p>
          <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="no-workspace">
            {role ? 'None: staff see every workspace.' : 'Choose a role first.'}
          </p>
          {errorsFor('workspaceId').length ? (
            <p role="alert" className="mt-1 text-sm text-red-800">
              {errorsFor('workspaceId').join(' ')}
            </p>
          ) : null}
        </div>
      )}
    </>
  );
}
