import { type Role, ROLES } from '@/lib/domain/roles';

const CUSTOMER_ADMIN: Role[] = ['customer_admin'];
const EVERYONE: Role[] = [...ROLES];
const CASE_STAFF: Role[] = ['csm', 'engineer'];
const ENGINEERS: Role[] = ['engineer'];
const STAFF_READ: Role[] = ['csm', 'engineer', 'admin'];

/**
 * The policy: role × action → allowed (docs/design.md#roles; least privilege and the two-person rule of
 * docs/program-rules.md#security-requirements, whose "not your own request" half is a guard in the state machine).
 * Every server action and route handler names one of these actions through lib/auth/guard.ts; a new action without an
 * entry does not compile.
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
  // Staff send a case back to the customer with what to change (docs/design.md#the-case-state-machine).
  'case.request_changes': CASE_STAFF,
  // An internal note on a case: staff only, never shown or sent to a customer.
  'case.note': CASE_STAFF,
  // The conversation on a case between its workspace and staff: its admins and staff write; every member reads it.
  'case.message': ['customer_admin', 'csm', 'engineer'],
  // Firing any event on a case: the door for everyone who can fire at least one. Which event, in which state, is the
  // state machine's decision (its transitions name the actions above).
  'case.act': ['customer_admin', 'csm', 'engineer'],
  // "Check from our side": run a case's preflight checks from the edge account.
  'case.preflight': ['customer_admin', 'csm', 'engineer'],
  // Whether a workspace's cases request provisioning by themselves once every check passed.
  'workspace.auto_request': ['csm'],
  // The sandbox only: acting in the simulated console of the customer's own AWS account, Snowflake support and
  // Databricks account (docs/design.md#the-customers-side-of-the-sandbox), for the admin's own workspace.
  'sandbox.customer_act': CUSTOMER_ADMIN,
  // The sandbox only: the simulated traffic through an edge endpoint (docs/design.md#sandbox-traffic). The edge
  // account is the engineers', so they hold its levers.
  'sandbox.set_traffic': ENGINEERS,
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
  // Everyone may end all of their own sessions ("sign out everywhere"), and choose which e-mail they get.
  'session.end_all': EVERYONE,
  'account.email_preferences': EVERYONE,
  // API tokens (docs/design.md#the-public-api): each person makes and revokes their own; a token acts with its owner's
  // role. Read-only members only read, which their session already does, so they make none.
  'token.manage': ['customer_admin', 'csm', 'engineer', 'admin'],
  // The outbox: every message sent or kept (docs/design.md#the-outbox); staff may send a failed one again (audited).
  'outbox.view': STAFF_READ,
  'outbox.resend': STAFF_READ,
  // Administration (admin roles per resource: docs/program-rules.md#least-privilege).
  'admin.view': ['admin'],
  'admin.manage_workspaces': ['admin'],
  'admin.manage_users': ['admin'],
  'admin.override_limits': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/** Whether the role may perform the action at all. */
export function roleAllows(role: Role, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(role);
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
