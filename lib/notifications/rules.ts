import type { CaseState } from '@/lib/domain/case-states';
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

/** What a case moving into `to` announces, and to whom. Every transition tells the workspace's members. */
export function planCaseTransition(to: CaseState): TransitionPlan {
  const customers: Delivery[] = CUSTOMER_ACTS.includes(to)
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
