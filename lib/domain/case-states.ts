/** Every state a case can be in (docs/design.md#the-case-state-machine), and the sets derived from them. */
export const CASE_STATES = [
  'draft',
  'submitted',
  'awaiting_customer',
  'ready_to_provision',
  'pending_approval',
  'provisioning',
  'awaiting_customer_action',
  'active',
  'failed',
  'rejected',
  'cancelled',
  'suspended',
  'decommissioning',
  'decommissioned',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States no transition leaves. */
export const TERMINAL_STATES: readonly CaseState[] = ['rejected', 'cancelled', 'decommissioned'];

/**
 * A case holds one of its workspace's endpoint slots from `submitted` until it ends (the beta allows 2 endpoints
 * per workspace: docs/program-rules.md#beta-limits). A draft holds none.
 */
export const SLOT_FREE_STATES: readonly CaseState[] = ['draft', ...TERMINAL_STATES];
export const SLOT_HOLDING_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !SLOT_FREE_STATES.includes(s));

/** States in which staff must act next (the CSM queue). */
export const STAFF_QUEUE_STATES: readonly CaseState[] = ['submitted', 'ready_to_provision', 'pending_approval', 'failed'];
