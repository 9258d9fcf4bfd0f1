import type { Role } from '@/db/schema';
import { ROLES } from '@/db/schema';

export { ROLES };
export type { Role };

export const CUSTOMER_ROLES: readonly Role[] = ['customer_admin', 'customer_viewer'];
export const STAFF_ROLES: readonly Role[] = ['csm', 'engineer', 'admin'];

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

const CUSTOMER_ADMIN: Role[] = ['customer_admin'];
const EVERYONE: Role[] = [...ROLES];
const CASE_STAFF: Role[] = ['csm', 'engineer'];
const ENGINEERS: Role[] = ['engineer'];
const STAFF_READ: Role[] = ['csm', 'engineer', 'admin'];

/**
 * The policy: role × action → allowed (DESIGN.md "Who uses it"; seed 000 least privilege; seed 001 two-person rule,
 * whose "not your own request" half is a guard in the state machine). Every server action and route handler names one
 * of these actions through lib/auth/guard.ts; a new action without an entry does not compile.
 */
export const POLICY = {
  // Cases: customers act on their own workspace's cases; staff see every workspace.
  'case.view': EVERYONE,
  'case.create': CUSTOMER_ADMIN,
  'case.edit_draft': CUSTOMER_ADMIN,
  'case.submit': CUSTOMER_ADMIN,
  'case.provide_details': CUSTOMER_ADMIN,
  'case.cancel': ['customer_admin', 'csm'],
  'case.accept': CASE_STAFF,
  'case.reject': CASE_STAFF,
  'case.request_provisioning': CASE_STAFF,
  'case.approve': ENGINEERS,
  'case.retry': ENGINEERS,
  'case.suspend': ENGINEERS,
  'case.resume': ENGINEERS,
  'case.decommission': ENGINEERS,
  'case.note': CASE_STAFF,
  // Staff views.
  'queue.view': STAFF_READ,
  'endpoint.view': ['engineer', 'csm', 'admin'],
  'endpoint.export': ENGINEERS,
  'endpoint.test_connection': ENGINEERS,
  'audit.view': ['engineer', 'admin'],
  'audit.export': ['engineer', 'admin'],
  // Workspace-scoped reads a customer has for their own workspace.
  'usage.view': EVERYONE,
  'notification.view': EVERYONE,
  'notification.mark_read': EVERYONE,
  // Everyone may end all of their own sessions ("sign out everywhere").
  'session.end_all': EVERYONE,
  // Administration (seed 000: per-resource admin roles).
  'admin.view': ['admin'],
  'admin.manage_workspaces': ['admin'],
  'admin.manage_users': ['admin'],
  'admin.override_limits': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export interface Principal {
  id: string;
  role: Role;
  workspaceId: string | null;
}

/** Whether the role may perform the action at all. */
export function roleAllows(role: Role, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(role);
}

/**
 * Whether the principal may touch a resource of the given workspace: staff see every workspace, customers only their
 * own. A resource without a workspace (staff-only data) is never a customer's.
 */
export function ownsWorkspace(user: Principal, workspaceId: string | null | undefined): boolean {
  if (isStaff(user.role)) return true;
  return workspaceId != null && workspaceId === user.workspaceId;
}

export type Decision = { allowed: true } | { allowed: false; reason: 'role' | 'workspace' };

/** The one authorization decision: role allowed for the action, and the resource (if any) in the user's reach. */
export function decide(user: Principal, action: Action, resource?: { workspaceId: string | null }): Decision {
  if (!roleAllows(user.role, action)) return { allowed: false, reason: 'role' };
  if (resource && !ownsWorkspace(user, resource.workspaceId)) return { allowed: false, reason: 'workspace' };
  return { allowed: true };
}

/** Where each role lands after sign-in. */
export function landingPath(role: Role): string {
  switch (role) {
    case 'customer_admin':
    case 'customer_viewer':
      return '/cases';
    case 'csm':
      return '/queue';
    case 'engineer':
      return '/endpoints';
    case 'admin':
      return '/admin';
  }
}
