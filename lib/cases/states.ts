import { CASE_STATES, type CaseState } from '@/db/schema';

export { CASE_STATES };
export type { CaseState };

// A case holds one of the workspace's endpoint slots from `submitted` until it is rejected, cancelled or decommissioned
// (the private beta allows at most 2 PrivateLink VPC endpoints per customer: docs/program-rules.md#beta-limits).
export const SLOT_FREE_STATES: readonly CaseState[] = ['draft', 'rejected', 'cancelled', 'decommissioned'];
export const SLOT_HOLDING_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !SLOT_FREE_STATES.includes(s));

/** States in which staff must act next (the CSM queue). */
export const STAFF_QUEUE_STATES: readonly CaseState[] = ['submitted', 'ready_to_provision', 'pending_approval', 'failed'];

export const STATE_LABEL: Record<CaseState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  awaiting_customer: 'Waiting for customer details',
  ready_to_provision: 'Ready to provision',
  pending_approval: 'Pending approval',
  provisioning: 'Provisioning',
  awaiting_customer_action: 'Waiting for customer action',
  active: 'Active',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  suspended: 'Suspended',
  decommissioning: 'Decommissioning',
  decommissioned: 'Decommissioned',
};
