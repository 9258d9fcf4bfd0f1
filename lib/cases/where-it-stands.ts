import type { Case } from '@/db/schema';
import type { FlowDefinition } from '@/lib/providers';
import type { CaseState } from '@/lib/domain/case-states';

export interface Standing {
  headline: string;
  detail: string;
  customerMustAct: boolean;
}

/**
 * Where a case stands, in words, for the customer: who must act next and what they do. A read-only member cannot do
 * the customer's part, so when the workspace must act they are told that a workspace admin does it.
 */
export function whereItStands(
  c: Pick<Case, 'state' | 'warehouse' | 'lastError' | 'outputs'>,
  flow: FlowDefinition,
  lastNote: string | null,
  reader: { canAct: boolean } = { canAct: true },
): Standing {
  const standing = standingFor(c, flow, lastNote);
  if (!standing.customerMustAct || reader.canAct) return standing;
  return {
    headline: standing.headline.replace(/^Waiting for you:/, 'Waiting for a workspace admin to'),
    detail: `${standing.detail} Your read-only role cannot do this: ask an admin of your workspace.`,
    customerMustAct: true,
  };
}

function standingFor(
  c: Pick<Case, 'state' | 'warehouse' | 'lastError' | 'outputs'>,
  flow: FlowDefinition,
  lastNote: string | null,
): Standing {
  const details = flow.customerSteps.filter((s) => s.phase === 'details').map((s) => s.title.toLowerCase());
  switch (c.state) {
    case 'draft':
      return {
        headline: 'Draft: finish the setup and submit it',
        detail: 'Nothing has been sent yet. Your answers are saved as you type.',
        customerMustAct: true,
      };
    case 'submitted':
      return {
        headline: 'Waiting for your CSM to review the request',
        detail: 'Your CSM accepts the request or asks you to change something. You are notified either way.',
        customerMustAct: false,
      };
    case 'awaiting_customer':
      return details.length
        ? {
            headline: `Waiting for you: ${details.join(', then ')}`,
            detail:
              'Your CSM accepted the request. Use the edge account values shown in the setup to complete these steps, then send the details.',
            customerMustAct: true,
          }
        : {
            headline: 'Waiting for you: confirm the request',
            detail: 'Your CSM accepted the request. Confirm it to pass it to the edge team.',
            customerMustAct: true,
          };
    case 'ready_to_provision':
      return {
        headline: 'Waiting for your CSM to request provisioning',
        detail: 'Your details are complete. Your CSM asks the edge team to create the endpoint.',
        customerMustAct: false,
      };
    case 'pending_approval':
      return {
        headline: 'Waiting for an edge engineer to approve',
        detail: 'Provisioning is requested; a second engineer approves it before anything is created (two-person rule).',
        customerMustAct: false,
      };
    case 'provisioning':
      // A Databricks case comes back here once the customer sent their workspace URL: the endpoint already exists.
      if (c.warehouse === 'databricks' && typeof c.outputs.vpcEndpointId === 'string')
        return {
          headline: 'Pointing our DNS for your workspace at the endpoint',
          detail: 'You sent your workspace URL. The case turns active when the DNS record is in place. This page updates when it is done.',
          customerMustAct: false,
        };
      return {
        headline: 'Creating the endpoint in our edge account',
        detail: 'This usually takes a few minutes. This page updates when it is done.',
        customerMustAct: false,
      };
    case 'awaiting_customer_action':
      return c.warehouse === 'databricks'
        ? {
            headline: 'Waiting for you: register the VPC endpoint and give your workspace URL',
            detail:
              'Register the endpoint ID below in your Databricks account, allow it in your Private Access Settings, then enter your workspace URL.',
            customerMustAct: true,
          }
        : {
            headline: 'Waiting for you: accept the endpoint connection',
            detail: 'Your endpoint service requires acceptance: accept the connection request from the VPC endpoint shown below.',
            customerMustAct: true,
          };
    case 'active':
      return {
        headline: 'Active: PrivateLink is ready to use',
        detail: 'Use the values below in your integration settings.',
        customerMustAct: false,
      };
    case 'failed':
      return {
        headline: 'Provisioning failed',
        detail: `${c.lastError ?? 'The edge account reported an error.'} Our engineers are looking at it; you will be notified.`,
        customerMustAct: false,
      };
    case 'rejected':
      return {
        headline: 'Rejected by your CSM',
        detail: lastNote ? `Reason: ${lastNote}` : 'Ask your CSM for details.',
        customerMustAct: false,
      };
    case 'cancelled':
      return { headline: 'Cancelled', detail: 'Nothing was provisioned. The endpoint slot is free.', customerMustAct: false };
    case 'suspended':
      return {
        headline: 'Suspended by the edge team',
        detail: lastNote ? `Reason: ${lastNote}` : 'Traffic through the endpoint is paused.',
        customerMustAct: false,
      };
    case 'decommissioning':
      return {
        headline: 'Removing the endpoint',
        detail: 'The endpoint and its DNS records are being deleted. The slot is freed when they are gone.',
        customerMustAct: false,
      };
    case 'decommissioned':
      return {
        headline: 'Decommissioned',
        detail: 'The endpoint and its DNS records were deleted. The endpoint slot is free.',
        customerMustAct: false,
      };
  }
}

// The endpoint the values describe exists in these states; before (or once removed) there is nothing to paste.
const ENDPOINT_STATES: readonly CaseState[] = ['provisioning', 'awaiting_customer_action', 'active', 'suspended'];

/**
 * The values a customer pastes into their integration, each with the help that applies now: none before the
 * endpoint exists or once it is gone, and "do this" help only while the customer still has to do it.
 */
export function valuesToPaste(
  c: Pick<Case, 'state' | 'outputs'>,
  flow: FlowDefinition,
): { key: string; label: string; value: string; help: string }[] {
  if (!ENDPOINT_STATES.includes(c.state)) return [];
  const values = flow.readOutputs?.(c.outputs) ?? c.outputs;
  const customerActs = c.state === 'awaiting_customer_action';
  return flow.outputs
    .filter((o) => typeof values[o.key] === 'string' || typeof values[o.key] === 'number')
    .map((o) => ({ key: o.key, label: o.label, value: String(values[o.key]), help: customerActs ? o.help : (o.doneHelp ?? o.help) }));
}
