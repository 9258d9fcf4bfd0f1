'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/auth/guard';
import { changeRoleSchema, createUserSchema, createWorkspaceSchema, setDisabledSchema, unlockSignInSchema } from '@/lib/admin/schemas';
import { changeRole, createUser, setDisabled, unlockSignIn } from '@/lib/admin/users';
import { createWorkspace } from '@/lib/admin/workspaces';
import { limitOverrideSchema, setWorkspaceLimits } from '@/lib/limits';

// Server actions of /admin. Each goes through action(): signed in, the admin permission, input parsed with zod; the
// services in lib/admin check again and write the change and its audit row in one transaction.

/** Create a customer workspace with the beta default limits. */
export const createWorkspaceAction = action(
  createWorkspaceSchema,
  { permission: 'admin.manage_workspaces' },
  async (input, { user, db, requestId, sourceIp }) => {
    const ws = await createWorkspace(db, user, input, { requestId, sourceIp });
    revalidatePath('/admin');
    return { id: ws.id, name: ws.name, slug: ws.slug };
  },
);

/** Override a workspace's beta limits; the reason is required and kept with the workspace and in the audit log. */
export const overrideLimitsAction = action(
  limitOverrideSchema,
  { permission: 'admin.override_limits' },
  async (input, { user, db, requestId, sourceIp }) => {
    const after = await setWorkspaceLimits(db, user, input, { requestId, sourceIp });
    revalidatePath('/admin', 'layout');
    return after;
  },
);

/** Create an account; the one-time password comes back in the result, to be shown once and never again. */
export const createUserAction = action(
  createUserSchema,
  { permission: 'admin.manage_users' },
  async (input, { user, db, requestId, sourceIp }) => {
    const created = await createUser(db, user, input, { requestId, sourceIp });
    revalidatePath('/admin');
    return { id: created.user.id, email: created.user.email, name: created.user.name, password: created.password };
  },
);

/** Change an account's role (and workspace). */
export const changeRoleAction = action(
  changeRoleSchema,
  { permission: 'admin.manage_users' },
  async (input, { user, db, requestId, sourceIp }) => {
    const r = await changeRole(db, user, input, { requestId, sourceIp });
    revalidatePath('/admin', 'layout');
    return { changed: r.changed, role: r.user.role };
  },
);

/** Disable or re-enable an account. */
export const setDisabledAction = action(
  setDisabledSchema,
  { permission: 'admin.manage_users' },
  async (input, { user, db, requestId, sourceIp }) => {
    const r = await setDisabled(db, user, input, { requestId, sourceIp });
    revalidatePath('/admin', 'layout');
    return { changed: r.changed, disabled: r.user.disabled };
  },
);

/** Lift an account's sign-in locks (after too many failed sign-ins), audited. */
export const unlockSignInAction = action(
  unlockSignInSchema,
  { permission: 'admin.manage_users' },
  async (input, { user, db, requestId, sourceIp }) => {
    const r = await unlockSignIn(db, user, input, { requestId, sourceIp });
    return { cleared: r.cleared };
  },
);
