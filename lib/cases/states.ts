import type { CaseState } from '@/lib/domain/case-states';

/** How each state reads to people. */
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
