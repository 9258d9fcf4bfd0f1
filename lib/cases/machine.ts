import { type Action, POLICY } from '@/lib/auth/policy';
import { FLOWS } from '@/lib/providers';
import type { CaseState } from '@/lib/domain/case-states';
import type { Role } from '@/lib/domain/roles';
import type { Warehouse } from '@/lib/domain/warehouses';

/**
 * The case state machine (docs/design.md#the-case-state-machine) as data. This table is the only source of truth: the
 * case service refuses any (state, event) it does not list, the staff view draws its diagram from it, and tests
 * enumerate it. Nothing else may change a case's state.
 */

/** Every event a case can be sent: the state machine's verbs. */
export const CASE_EVENTS = [
  'submit',
  'accept',
  'request_changes',
  'provide_details',
  'skip_details',
  'request_provisioning',
  'auto_request_provisioning',
  'approve',
  'send_back',
  'await_customer_action',
  'send_customer_action',
  'activate',
  'fail',
  'retry',
  'reject',
  'cancel',
  'suspend',
  'resume',
  'decommission',
  'decommissioned',
] as const;
export type CaseEventName = (typeof CASE_EVENTS)[number];

/** Who may fire an event: people through a policy action, or the reconciler (the system). */
export type TransitionActor = { kind: 'people'; permission: Action } | { kind: 'reconciler' };

export interface GuardContext {
  warehouse: Warehouse;
  actorId: string | null;
  requestedBy: string | null;
  note: string | null;
}

/** A guard returns null when the transition may happen, else the reason in words. */
export type Guard = (ctx: GuardContext) => string | null;

/** What an effect knows about the event being applied. */
export interface EffectContext {
  now: Date;
  actorId: string | null;
  note: string | null;
  payload: Record<string, unknown> | undefined;
}

/** The case columns a transition sets besides its state (the case service applies them in the same update). */
export interface CaseEffect {
  submittedAt?: Date;
  requestedBy?: string | null;
  approvedBy?: string | null;
  lastError?: string | null;
  reconcileAttempts?: number;
}

export interface Transition {
  from: CaseState;
  event: CaseEventName;
  to: CaseState;
  actor: TransitionActor;
  guard?: Guard;
  /** What else changes on the case when this transition happens. */
  effect?: (ctx: EffectContext) => CaseEffect;
  /** Label for buttons and the diagram. */
  label: string;
}

const people = (permission: Action): TransitionActor => ({ kind: 'people', permission });

// Effects shared by the transitions of one event, whatever state they leave.
const recordsFailure = ({ note, payload }: EffectContext): CaseEffect => ({
  lastError: note ?? String(payload?.error ?? 'Provisioning failed.'),
});
const clearsError = (): CaseEffect => ({ lastError: null });
const reconciler: TransitionActor = { kind: 'reconciler' };

const reasonRequired =
  (what: string): Guard =>
  ({ note }) =>
    note && note.trim().length >= 3 ? null : `Give a reason to ${what}: it is recorded on the case and shown to the customer.`;

// Two-person rule: nobody approves their own request (docs/program-rules.md#two-person-rule).
const notTheRequester: Guard = ({ actorId, requestedBy }) =>
  actorId !== null && actorId === requestedBy
    ? 'You requested this provisioning: another engineer must approve it (two-person rule).'
    : null;

const usesCustomerAction: Guard = ({ warehouse }) =>
  FLOWS[warehouse].usesAwaitingCustomerAction ? null : `The ${FLOWS[warehouse].name} flow has no customer action after provisioning.`;

// Only flows whose customer gives something after the endpoint exists (Databricks: registration, workspace URL) send it.
const sendsAfterEndpoint: Guard = ({ warehouse }) =>
  FLOWS[warehouse].customerSteps.some((s) => s.phase === 'after_endpoint')
    ? null
    : `The ${FLOWS[warehouse].name} flow has nothing for the customer to send after provisioning.`;

// States where nothing exists in the edge account yet: cancelling simply closes the case.
const BEFORE_PROVISIONING: CaseState[] = ['draft', 'submitted', 'awaiting_customer', 'ready_to_provision', 'pending_approval'];

export const TRANSITIONS: readonly Transition[] = [
  {
    from: 'draft',
    event: 'submit',
    to: 'submitted',
    actor: people('case.submit'),
    effect: ({ now }) => ({ submittedAt: now }),
    label: 'Submit',
  },
  { from: 'submitted', event: 'accept', to: 'awaiting_customer', actor: people('case.accept'), label: 'Accept' },
  // Staff send a request back to the customer with what to change, rather than rejecting it: a submitted request goes
  // back to the draft (it holds no slot there; submitting again checks the limits again), details given after
  // acceptance go back to the details step.
  {
    from: 'submitted',
    event: 'request_changes',
    to: 'draft',
    actor: people('case.request_changes'),
    guard: reasonRequired('ask for changes'),
    label: 'Request changes',
  },
  {
    from: 'ready_to_provision',
    event: 'request_changes',
    to: 'awaiting_customer',
    actor: people('case.request_changes'),
    // A flow that asks nothing after acceptance (Databricks) would skip straight back: its changes are to the draft.
    guard: (ctx) =>
      FLOWS[ctx.warehouse].customerSteps.some((s) => s.phase === 'details')
        ? reasonRequired('ask for changes')(ctx)
        : `The ${FLOWS[ctx.warehouse].name} flow asks the customer for no details after acceptance: reject the case with the reason, or ask in a message.`,
    label: 'Request changes',
  },
  {
    from: 'awaiting_customer',
    event: 'provide_details',
    to: 'ready_to_provision',
    actor: people('case.provide_details'),
    label: 'Provide details',
  },
  // A flow that asks the customer nothing after acceptance (Databricks) does not wait for an empty form.
  {
    from: 'awaiting_customer',
    event: 'skip_details',
    to: 'ready_to_provision',
    actor: reconciler,
    guard: ({ warehouse }) =>
      FLOWS[warehouse].customerSteps.some((s) => s.phase === 'details')
        ? `The ${FLOWS[warehouse].name} flow needs the customer's details before provisioning.`
        : null,
    label: 'Nothing more needed',
  },
  {
    from: 'ready_to_provision',
    event: 'request_provisioning',
    to: 'pending_approval',
    actor: people('case.request_provisioning'),
    // The requester is remembered for the two-person rule; an earlier approval no longer counts.
    effect: ({ actorId }) => ({ requestedBy: actorId, approvedBy: null }),
    label: 'Request provisioning',
  },
  // Every check of the customer's details passed from the edge account: the portal is the requester, so any engineer
  // may approve (docs/design.md#two-staff-touches).
  {
    from: 'ready_to_provision',
    event: 'auto_request_provisioning',
    to: 'pending_approval',
    actor: reconciler,
    effect: () => ({ requestedBy: null, approvedBy: null }),
    label: 'Requested by the portal',
  },
  {
    from: 'pending_approval',
    event: 'approve',
    to: 'provisioning',
    actor: people('case.approve'),
    guard: notTheRequester,
    effect: ({ actorId }) => ({ approvedBy: actorId }),
    label: 'Approve',
  },
  // An approver who declines sends the request back with a reason rather than leaving it waiting.
  {
    from: 'pending_approval',
    event: 'send_back',
    to: 'ready_to_provision',
    actor: people('case.approve'),
    guard: reasonRequired('send the request back'),
    effect: () => ({ requestedBy: null }),
    label: 'Send back',
  },
  {
    from: 'provisioning',
    event: 'await_customer_action',
    to: 'awaiting_customer_action',
    actor: reconciler,
    guard: usesCustomerAction,
    label: 'Wait for customer action',
  },
  // The customer's explicit "Send and finish": only this hands their answers to the edge (autosave only saves). The
  // case goes back to provisioning, where the reconciler acts on what was sent and the answers can no longer change.
  {
    from: 'awaiting_customer_action',
    event: 'send_customer_action',
    to: 'provisioning',
    actor: people('case.provide_details'),
    guard: sendsAfterEndpoint,
    label: 'Send and finish',
  },
  { from: 'provisioning', event: 'activate', to: 'active', actor: reconciler, effect: clearsError, label: 'Activate' },
  { from: 'awaiting_customer_action', event: 'activate', to: 'active', actor: reconciler, effect: clearsError, label: 'Activate' },
  { from: 'provisioning', event: 'fail', to: 'failed', actor: reconciler, effect: recordsFailure, label: 'Fail' },
  // An endpoint connection the service owner rejects, say, fails the case while it waits on the customer.
  { from: 'awaiting_customer_action', event: 'fail', to: 'failed', actor: reconciler, effect: recordsFailure, label: 'Fail' },
  {
    from: 'failed',
    event: 'retry',
    to: 'provisioning',
    actor: people('case.retry'),
    effect: () => ({ lastError: null, reconcileAttempts: 0 }),
    label: 'Retry',
  },
  {
    from: 'submitted',
    event: 'reject',
    to: 'rejected',
    actor: people('case.reject'),
    guard: reasonRequired('reject the case'),
    label: 'Reject',
  },
  {
    from: 'ready_to_provision',
    event: 'reject',
    to: 'rejected',
    actor: people('case.reject'),
    guard: reasonRequired('reject the case'),
    label: 'Reject',
  },
  ...BEFORE_PROVISIONING.map(
    (from): Transition => ({ from, event: 'cancel', to: 'cancelled', actor: people('case.cancel'), label: 'Cancel' }),
  ),
  // Cancelling once provisioning started must not leave an endpoint behind: it tears down through decommissioning,
  // and the endpoint slot is freed only when the endpoint is gone.
  { from: 'provisioning', event: 'cancel', to: 'decommissioning', actor: people('case.cancel'), label: 'Cancel' },
  { from: 'awaiting_customer_action', event: 'cancel', to: 'decommissioning', actor: people('case.cancel'), label: 'Cancel' },
  {
    from: 'active',
    event: 'suspend',
    to: 'suspended',
    actor: people('case.suspend'),
    guard: reasonRequired('suspend the endpoint'),
    label: 'Suspend',
  },
  { from: 'suspended', event: 'resume', to: 'active', actor: people('case.resume'), label: 'Resume' },
  {
    from: 'active',
    event: 'decommission',
    to: 'decommissioning',
    actor: people('case.decommission'),
    guard: reasonRequired('decommission the endpoint'),
    label: 'Decommission',
  },
  {
    from: 'suspended',
    event: 'decommission',
    to: 'decommissioning',
    actor: people('case.decommission'),
    guard: reasonRequired('decommission the endpoint'),
    label: 'Decommission',
  },
  {
    from: 'failed',
    event: 'decommission',
    to: 'decommissioning',
    actor: people('case.decommission'),
    guard: reasonRequired('decommission the endpoint'),
    label: 'Decommission',
  },
  { from: 'decommissioning', event: 'decommissioned', to: 'decommissioned', actor: reconciler, label: 'Decommissioned' },
];

/** States in which the reconciler has work to do. */
export const RECONCILER_STATES: readonly CaseState[] = ['provisioning', 'awaiting_customer_action', 'active', 'decommissioning'];

export function findTransition(from: CaseState, event: CaseEventName): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.event === event);
}

export function transitionsFrom(from: CaseState): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from);
}

/** Transitions a flow can use (Redshift and Snowflake never wait on a customer action after provisioning). */
export function transitionsForFlow(warehouse: Warehouse): Transition[] {
  const usesAction = FLOWS[warehouse].usesAwaitingCustomerAction;
  return TRANSITIONS.filter((t) => usesAction || (t.from !== 'awaiting_customer_action' && t.to !== 'awaiting_customer_action'));
}

/** The roles that may fire a people transition (read from the policy table, so the two cannot disagree). */
export function rolesFor(t: Transition): readonly Role[] {
  return t.actor.kind === 'people' ? POLICY[t.actor.permission] : [];
}

export type TransitionRefusal =
  | { reason: 'wrong_state'; message: string }
  | { reason: 'wrong_role'; message: string }
  | { reason: 'guard_failed'; message: string };

/**
 * Decide whether an actor may fire an event from a state. Returns the transition, or why not. Workspace ownership,
 * versions and limits are the case service's job (they need the database).
 */
export function evaluate(
  from: CaseState,
  event: CaseEventName,
  actor: { role: Role | 'reconciler' },
  ctx: GuardContext,
): { ok: true; transition: Transition } | ({ ok: false } & TransitionRefusal) {
  const t = findTransition(from, event);
  if (!t) {
    return { ok: false, reason: 'wrong_state', message: `A case in state "${from}" cannot ${event.replace(/_/g, ' ')}.` };
  }
  const allowed =
    actor.role === 'reconciler' ? t.actor.kind === 'reconciler' : t.actor.kind === 'people' && rolesFor(t).includes(actor.role);
  if (!allowed) {
    return { ok: false, reason: 'wrong_role', message: `Your role cannot ${t.label.toLowerCase()} a case.` };
  }
  const refusal = t.guard?.(ctx) ?? null;
  if (refusal) return { ok: false, reason: 'guard_failed', message: refusal };
  return { ok: true, transition: t };
}
