/**
 * The five roles (docs/design.md#roles). Pure vocabulary: this folder imports nothing of the project, so
 * storage (db/) and the domain (lib/) can both use it without importing each other.
 */
export const ROLES = ['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const CUSTOMER_ROLES: readonly Role[] = ['customer_admin', 'customer_viewer'];
export const STAFF_ROLES: readonly Role[] = ['csm', 'engineer', 'admin'];

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

/** Who is acting: enough to authorize and to scope a query to a workspace. */
export interface Principal {
  id: string;
  role: Role;
  workspaceId: string | null;
}

/**
 * The one tenant-scoping rule, which every query and check applies (SQL through db/queries/scope.ts): staff reach
 * every workspace ('all'), a customer only their own, and a customer without a workspace none (null).
 */
export function reachableWorkspace(p: Pick<Principal, 'role' | 'workspaceId'>): 'all' | string | null {
  return isStaff(p.role) ? 'all' : p.workspaceId;
}

/** Whether a resource of this workspace is within reach; a resource without a workspace is staff-only. */
export function canReachWorkspace(p: Pick<Principal, 'role' | 'workspaceId'>, workspaceId: string | null | undefined): boolean {
  const reach = reachableWorkspace(p);
  return reach === 'all' || (reach !== null && workspaceId === reach);
}
