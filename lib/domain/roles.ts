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
