import { Badge, type Tone } from '@/app/_components/ui/badge';
import { STATE_LABEL } from '@/lib/cases/states';
import type { CaseState } from '@/lib/domain/case-states';

const TONE: Record<CaseState, Tone> = {
  draft: 'neutral',
  submitted: 'info',
  awaiting_customer: 'warning',
  ready_to_provision: 'info',
  pending_approval: 'info',
  provisioning: 'info',
  awaiting_customer_action: 'warning',
  active: 'success',
  failed: 'danger',
  rejected: 'danger',
  cancelled: 'neutral',
  suspended: 'warning',
  decommissioning: 'neutral',
  decommissioned: 'neutral',
};

export function StateBadge({ state }: { state: CaseState }) {
  return <Badge tone={TONE[state]}>{STATE_LABEL[state]}</Badge>;
}
