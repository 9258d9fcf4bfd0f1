import type { Case } from '@/db/schema';
import type { FlowDefinition } from '@/lib/providers';
import type { CaseState } from '@/lib/domain/case-states';

export interface Standing {
  headline: string;
  detail: string;
  customerMustAct: boolean;
}

/** Who reads the page: a workspace admin does the workspace's part; a read-only member only follows it. */
export interface StandingReader {
  canAct: boolean;
}

/**
 * Where a case stands, in words, for the customer: who must act next and what they do. A read-only member cannot do
 * the workspace's part, so they are told which of the workspace's people acts (its admins), never that they must.
 * `changes` is the reason staff gave when they sent the case back to the customer (request_changes) into the state it
 * is in now, else null.
 */
export function whereItStands(
  c: Pick<Case, 'state' | 'warehouse' | 'lastError' | 'outputs'>,
  flow: FlowDefinition,
  lastNote: string | null,
  reader: StandingReader = { canAct: true },
  changes: string | null = null,
): Standing {
  const you = reader.canAct;
  const details = flow.customerSteps.filter((s) => s.phase === 'details').map((s) => s.title.toLowerCase());
  // Who does the workspace's part, as the headline names them.
  const waiting = (what: string) => (you ? `Waiting for you: ${what}` : `Waiting for a workspace admin to ${what}`);
  const readOnly = " Your read-only role can follow the case here; only your workspace's admins can act on it.";
  switch (c.state) {
    case 'draft':
      if (changes)
        return {
          headline: you
            ? 'Changes requested: change the setup and submit it again'
            : 'Changes requested: a workspace admin changes the setup',
          detail: you
            ? `Staff sent the request back to you: “${changes}” Your answers are kept; change what is asked and submit again.`
            : `Staff sent the request back: “${changes}” A workspace admin changes what is asked and submits it again.${readOnly}`,
          customerMustAct: true,
        };
      return you
        ? {
            headline: 'Draft: finish the setup and submit it',
            detail: 'Nothing has been sent yet. Your answers are saved as you type.',
            customerMustAct: true,
          }
        : {
            headline: 'Draft: a workspace admin finishes the setup and submits it',
            detail: `Nothing has been sent yet.${readOnly}`,
            customerMustAct: true,
          };
    case 'submitted':
      return {
        headline: 'Waiting for your CSM to review the request',
        detail: `Your CSM accepts the request, sends it back${you ? ' to you' : ''} with the changes to make, or rejects it with a reason. You are notified either way.`,
        customerMustAct: false,
      };
    case 'awaiting_customer':
      if (changes && details.length)
        return {
          headline: you ? `Changes requested: ${details.join(', then ')}` : `Changes requested: a workspace admin changes the details`,
          detail: you
            ? `Staff sent your details back: “${changes}” Change what is asked in the setup and send the details again.`
            : `Staff sent the details back: “${changes}” A workspace admin changes what is asked and sends them again.${readOnly}`,
          customerMustAct: true,
        };
      return details.length
        ? {
            headline: waiting(details.join(', then ')),
            detail: you
              ? 'Your CSM accepted the request. Use the edge account values shown in the setup to complete these steps, then send the details.'
              : `Your CSM accepted the request. A workspace admin completes these steps with the edge account values and sends the details.${readOnly}`,
            customerMustAct: true,
          }
        : {
            headline: waiting('confirm the request'),
            detail: you
              ? 'Your CSM accepted the request. Confirm it to pass it to the edge team.'
              : `Your CSM accepted the request. A workspace admin confirms it to pass it to the edge team.${readOnly}`,
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
      // A flow whose customer registers the endpoint comes back here once they sent their part: the endpoint exists.
      if (flow.words?.resumed && typeof c.outputs.vpcEndpointId === 'string')
        return {
          headline: flow.words.resumed.headline,
          detail: you ? flow.words.resumed.detail.you : flow.words.resumed.detail.other,
          customerMustAct: false,
        };
      return {
        headline: 'Creating the endpoint in our edge account',
        detail: 'This usually takes a few minutes. This page updates when it is done.',
        customerMustAct: false,
      };
    case 'awaiting_customer_action':
      return flow.words?.awaiting
        ? {
            headline: waiting(you ? flow.words.awaiting.task.you : flow.words.awaiting.task.other),
            detail: you ? flow.words.awaiting.detail.you : `${flow.words.awaiting.detail.other}${readOnly}`,
            customerMustAct: true,
          }
        : {
            headline: waiting('accept the endpoint connection'),
            detail: you
              ? 'Your endpoint service requires acceptance: accept the connection request from the VPC endpoint shown below.'
              : `Your endpoint service requires acceptance: a workspace admin accepts the connection request from the VPC endpoint shown below.${readOnly}`,
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
        detail: lastNote
          ? `Reason: ${lastNote}`
          : you
            ? 'Ask your CSM why in a message on this case.'
            : 'A workspace admin can ask your CSM why in a message on this case.',
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
