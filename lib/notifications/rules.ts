import { type CaseState, STAFF_QUEUE_STATES } from '@/lib/domain/case-states';
import type { Role } from '@/lib/domain/roles';

// Who hears about what (and what staff act on goes to a chat tool: docs/program-rules.md#chat-notifications).
// Pure data and functions: the table below is the whole policy, and test/notifications.rules.test.ts enumerates it.

export const NOTIFICATION_KINDS = [
  'case.changed', // a customer's case moved (information)
  'case.action_needed', // the customer must act: give details, or finish their side after the endpoint exists
  'case.submitted', // CSMs: a new case to accept or reject
  'case.ready_to_provision', // CSMs: details given, request provisioning
  'case.approval_needed', // engineers: approve a provisioning request (two-person rule)
  'case.failed', // CSMs and engineers: provisioning failed
  'usage.threshold_80', // a workspace passed 80 % of its monthly transfer limit
  'usage.threshold_100', // … reached 100 %: no more provisioning this month
  'endpoint.azs_changed', // the reconciler moved an active endpoint's subnets to follow its service's AZs
  'case.message', // a message on a case's conversation: from the workspace to CSMs, or from staff to the workspace
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds that ask the reader to do something (shown as "Needs you"). */
export const NEEDS_ACTION: ReadonlySet<string> = new Set<NotificationKind>([
  'case.action_needed',
  'case.submitted',
  'case.ready_to_provision',
  'case.approval_needed',
  'case.failed',
]);

/** The events posted to the chat webhook: the ones staff act on. */
export type WebhookEvent = 'case_submitted' | 'approval_needed' | 'case_failed' | 'usage_threshold';

export interface Delivery {
  roles: readonly Role[];
  kind: NotificationKind;
}

export interface TransitionPlan {
  /** In-app notifications: customers are those of the case's workspace; staff are everyone with the role. */
  inApp: Delivery[];
  webhook: WebhookEvent | null;
}

/** States where the workspace's admins must act (docs/design.md#the-case-state-machine). */
const CUSTOMER_ACTS: readonly CaseState[] = ['awaiting_customer', 'awaiting_customer_action'];

const STAFF: Partial<Record<CaseState, Delivery[]>> = {
  submitted: [{ roles: ['csm'], kind: 'case.submitted' }],
  ready_to_provision: [{ roles: ['csm'], kind: 'case.ready_to_provision' }],
  pending_approval: [{ roles: ['engineer'], kind: 'case.approval_needed' }],
  failed: [
    { roles: ['csm'], kind: 'case.failed' },
    { roles: ['engineer'], kind: 'case.failed' },
  ],
};

const WEBHOOK: Partial<Record<CaseState, WebhookEvent>> = {
  submitted: 'case_submitted',
  pending_approval: 'approval_needed',
  failed: 'case_failed',
};

/** Staff sending a case back to the customer with what to change: the workspace's admins must act again. */
const ASKS_CUSTOMER: readonly string[] = ['request_changes'];

/**
 * What a case moving into `to` (by `event`) announces, and to whom. Every transition tells the workspace's members;
 * its admins are asked to act when the case waits on them, or when staff asked for changes.
 */
export function planCaseTransition(to: CaseState, event = ''): TransitionPlan {
  const customers: Delivery[] =
    CUSTOMER_ACTS.includes(to) || ASKS_CUSTOMER.includes(event)
      ? [
          { roles: ['customer_admin'], kind: 'case.action_needed' },
          { roles: ['customer_viewer'], kind: 'case.changed' },
        ]
      : [{ roles: ['customer_admin', 'customer_viewer'], kind: 'case.changed' }];
  return { inApp: [...customers, ...(STAFF[to] ?? [])], webhook: WEBHOOK[to] ?? null };
}

/** Who hears about a usage threshold: the workspace and its CSMs at 80 %; engineers too at 100 %. */
export function planUsageThreshold(threshold: 80 | 100): Delivery[] {
  const kind: NotificationKind = threshold === 100 ? 'usage.threshold_100' : 'usage.threshold_80';
  return [
    { roles: ['customer_admin', 'customer_viewer'], kind },
    { roles: threshold === 100 ? ['csm', 'engineer'] : ['csm'], kind },
  ];
}

/**
 * Who hears that the reconciler moved an active endpoint's subnets to follow its service's zones
 * (docs/design.md#drift): the workspace's admins, whose connection it is, and the engineers who run the edge.
 */
export function planEndpointAzChange(): Delivery[] {
  return [
    { roles: ['customer_admin'], kind: 'endpoint.azs_changed' },
    { roles: ['engineer'], kind: 'endpoint.azs_changed' },
  ];
}

// --- E-mail (docs/design.md#the-outbox). Customers do not sit in the portal: they get e-mail when they must act, and
// when their case is live (with the values to paste) or failed. Staff get what they act on. Each user can turn off
// e-mail per kind below (in-app notifications always stay).

export const EMAIL_KINDS = [
  'case.action_needed', // customer admins: give details, allow the principal, accept the connection, register the endpoint, changes asked
  'case.staff_message', // customer admins: staff wrote to them on a case
  'case.active', // customer admins: the connection is live, with the values to paste
  'case.failed', // customer admins (no internal detail) and engineers (with the error)
  'case.submitted', // CSMs: a new case
  'case.customer_replied', // CSMs: the customer gave what was asked
  'case.approval_needed', // engineers: approve a provisioning request
  'case.reminder', // customer admins: the case still waits on them
  'usage.threshold_80', // the workspace's members and CSMs
  'usage.threshold_100', // the workspace's members, CSMs and engineers
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const EMAIL_KIND_LABEL: Record<EmailKind, string> = {
  'case.action_needed': 'A case needs you to act',
  'case.active': 'A connection is live',
  'case.failed': 'Provisioning failed',
  'case.submitted': 'A new case was submitted',
  'case.customer_replied': 'A customer answered or wrote on a case',
  'case.staff_message': 'Staff wrote to you on a case',
  'case.approval_needed': 'A provisioning request needs an approval',
  'case.reminder': 'Reminders about a case waiting on you',
  'usage.threshold_80': 'A workspace passed 80 % of its monthly transfer',
  'usage.threshold_100': 'A workspace reached its monthly transfer limit',
};

/** Which e-mail kinds a role can get at all (the /account settings show only these). */
export const EMAIL_KINDS_FOR: Record<Role, readonly EmailKind[]> = {
  customer_admin: [
    'case.action_needed',
    'case.staff_message',
    'case.active',
    'case.failed',
    'case.reminder',
    'usage.threshold_80',
    'usage.threshold_100',
  ],
  customer_viewer: ['usage.threshold_80', 'usage.threshold_100'],
  csm: ['case.submitted', 'case.customer_replied', 'usage.threshold_80', 'usage.threshold_100'],
  engineer: ['case.approval_needed', 'case.failed', 'usage.threshold_100'],
  admin: [],
};

export interface EmailDelivery {
  roles: readonly Role[];
  kind: EmailKind;
}

/** Events by which the customer hands back what was asked of them. */
const CUSTOMER_REPLIES: readonly string[] = ['provide_details', 'send_customer_action'];

/** The e-mails a case moving into `to` by `event` sends (customers only of the case's workspace). */
export function planCaseEmail(to: CaseState, event: string): EmailDelivery[] {
  const out: EmailDelivery[] = [];
  if (CUSTOMER_ACTS.includes(to) || ASKS_CUSTOMER.includes(event)) out.push({ roles: ['customer_admin'], kind: 'case.action_needed' });
  if (to === 'active' && event === 'activate') out.push({ roles: ['customer_admin'], kind: 'case.active' });
  if (to === 'failed') out.push({ roles: ['customer_admin', 'engineer'], kind: 'case.failed' });
  if (to === 'submitted') out.push({ roles: ['csm'], kind: 'case.submitted' });
  if (CUSTOMER_REPLIES.includes(event)) out.push({ roles: ['csm'], kind: 'case.customer_replied' });
  if (to === 'pending_approval') out.push({ roles: ['engineer'], kind: 'case.approval_needed' });
  return out;
}

/** Who a message on a case reaches, in the portal and by e-mail (never the author; customers only of its workspace). */
export interface MessagePlan {
  inApp: Delivery[];
  email: EmailDelivery[];
}

/**
 * A message on a case's conversation: the workspace's message goes to the CSMs; staff's goes to the workspace (its
 * admins also by e-mail). An internal note reaches nobody: it is never shown or sent to a customer, and staff read it
 * on the case page.
 */
export function planCaseMessage(audience: 'customer' | 'internal', authorRole: Role): MessagePlan {
  if (audience === 'internal') return { inApp: [], email: [] };
  if (authorRole === 'customer_admin' || authorRole === 'customer_viewer')
    return { inApp: [{ roles: ['csm'], kind: 'case.message' }], email: [{ roles: ['csm'], kind: 'case.customer_replied' }] };
  return {
    inApp: [{ roles: ['customer_admin', 'customer_viewer'], kind: 'case.message' }],
    email: [{ roles: ['customer_admin'], kind: 'case.staff_message' }],
  };
}

/** The e-mails of a usage threshold: the same people as in-app. */
export function planUsageEmail(threshold: 80 | 100): EmailDelivery[] {
  const kind: EmailKind = threshold === 100 ? 'usage.threshold_100' : 'usage.threshold_80';
  return planUsageThreshold(threshold).map((d) => ({ roles: d.roles, kind }));
}

// --- Reminders: a case waiting on the customer reminds the workspace's admins by e-mail; one waiting on staff alerts
// the chat channel. The first after `after`, then every `every`, while the case stays in the state it waits in.

/** States in which the case waits on the customer, and on staff. */
export const WAITS_ON_CUSTOMER: readonly CaseState[] = CUSTOMER_ACTS;
export const WAITS_ON_STAFF: readonly CaseState[] = STAFF_QUEUE_STATES;

/** How many reminders are due after waiting `waitedMs`: 0 before `afterMs`, then one more every `everyMs`. */
export function remindersDue(waitedMs: number, afterMs: number, everyMs: number): number {
  if (waitedMs < afterMs) return 0;
  return 1 + Math.floor((waitedMs - afterMs) / everyMs);
}
