import { STATE_LABEL } from '@/lib/cases/states';
import type { NotificationKind, WebhookEvent } from './rules';
import type { CaseState } from '@/lib/domain/case-states';
import type { Role } from '@/lib/domain/roles';
import type { Warehouse } from '@/lib/domain/warehouses';
import { FLOWS } from '@/lib/providers';

// The words of notifications: in-app titles and bodies per kind and reader, and the chat (Slack-compatible) message.

export interface CaseFacts {
  caseId: string;
  reference: string; // PL-1001
  warehouseName: string;
  region: string;
  workspaceName: string;
  from: CaseState | null;
  to: CaseState;
  /** Who caused it, as staff see it ("erin@portal.example", "the provisioning service"). */
  actorLabel: string;
  note: string | null;
  lastError: string | null;
}

export interface Message {
  title: string;
  body: string;
}

/** Staff sent the case back to the customer (request_changes): to the draft, or from later back to the details. */
export function changesAsked(f: Pick<CaseFacts, 'from' | 'to'>): boolean {
  return (f.from !== null && f.to === 'draft') || (f.to === 'awaiting_customer' && f.from !== null && f.from !== 'submitted');
}

const quoted = (s: CaseState) => `“${STATE_LABEL[s]}”`;
const withNote = (text: string, note: string | null) => (note ? `${text} Note: ${note}` : text);

/** The in-app notification one reader gets about a case transition. */
export function caseMessage(kind: NotificationKind, role: Role, f: CaseFacts): Message {
  const conn = `${f.warehouseName} connection in ${f.region}`;
  switch (kind) {
    case 'case.action_needed':
      if (changesAsked(f))
        return {
          title: `${f.reference}: changes asked`,
          body: withNote(
            `Staff sent the request for your ${conn} back to you with changes to make. Open the case, change what is asked and send it again.`,
            f.note,
          ),
        };
      return f.to === 'awaiting_customer_action'
        ? {
            title: `${f.reference} needs your action`,
            body: withNote(`The VPC endpoint for your ${conn} exists. Open the case and finish the steps it lists on your side.`, f.note),
          }
        : {
            title: `${f.reference} needs your details`,
            body: withNote(
              `Your CSM accepted the request for your ${conn}. Open the case and give the details the next step asks for.`,
              f.note,
            ),
          };
    case 'case.submitted':
      return {
        title: `New case ${f.reference} from ${f.workspaceName}`,
        body: `${f.workspaceName} submitted a ${f.warehouseName} PrivateLink request in ${f.region}. Accept it, or reject it with a reason.`,
      };
    case 'case.ready_to_provision':
      return f.from === 'pending_approval'
        ? {
            title: `${f.reference} was sent back`,
            body: withNote(
              `${f.actorLabel} sent the provisioning request for the ${conn} of ${f.workspaceName} back. Fix what they ask, then request provisioning again.`,
              f.note,
            ),
          }
        : {
            title: `${f.reference} is ready to provision`,
            body: `${f.workspaceName} gave the details for its ${conn}. Check them and request provisioning.`,
          };
    case 'case.approval_needed':
      return {
        title: `${f.reference} needs an approval`,
        body: withNote(
          `${f.actorLabel} requested provisioning of the ${conn} for ${f.workspaceName}. Another engineer must approve it (two-person rule).`,
          f.note,
        ),
      };
    case 'case.failed':
      return {
        title: `${f.reference} failed`,
        body: `Provisioning the ${conn} for ${f.workspaceName} failed${f.lastError ? `: ${f.lastError}` : '.'} Retry it, or decommission it with a reason.`,
      };
    default: {
      // case.changed: what a workspace member sees. Customers are not shown internal error details.
      const moved = f.from ? `moved from ${quoted(f.from)} to ${quoted(f.to)}` : `is now ${quoted(f.to)}`;
      const extra =
        f.to === 'failed' && (role === 'customer_admin' || role === 'customer_viewer') ? ' Our engineers have been alerted.' : '';
      return { title: `${f.reference} is now ${quoted(f.to)}`, body: withNote(`Your ${conn} ${moved}.${extra}`, f.note) };
    }
  }
}

export interface UsageFacts {
  workspaceName: string;
  threshold: 80 | 100;
  monthGib: number;
  limitGib: number;
}

/** The in-app notification about a usage threshold (customers and staff read the same words). */
export function usageMessage(f: UsageFacts): Message {
  const used = `${f.monthGib.toFixed(1)} of ${f.limitGib} GB`;
  return f.threshold === 100
    ? {
        title: `${f.workspaceName} reached its monthly transfer limit`,
        body: `${f.workspaceName} has moved ${used} over PrivateLink this month (UTC). No new connections can be provisioned until the 1st of next month, unless an administrator raises the limit.`,
      }
    : {
        title: `${f.workspaceName} passed 80 % of its monthly transfer limit`,
        body: `${f.workspaceName} has moved ${used} over PrivateLink this month (UTC). At 100 % no new connections can be provisioned until next month.`,
      };
}

export interface EndpointAzFacts {
  reference: string; // PL-1001
  warehouseName: string;
  region: string;
  vpcEndpointId: string;
  serviceName: string;
  beforeAzIds: string[];
  afterAzIds: string[];
}

/** The in-app notification that an active endpoint now sits in other zones (customers and engineers read the same). */
export function endpointAzMessage(f: EndpointAzFacts): Message {
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
  return {
    title: `${f.reference}: the endpoint moved to the service's new Availability Zones`,
    body: `Endpoint service ${f.serviceName} changed the Availability Zones it offers, so the portal moved VPC endpoint ${f.vpcEndpointId} of the ${f.warehouseName} connection in ${f.region} from ${list(f.beforeAzIds)} to ${list(f.afterAzIds)} (AZ IDs). Nothing needs doing on your side.`,
  };
}

// --- Chat webhook (Slack incoming-webhook format: `text` is the fallback and the notification; `blocks` the layout).

export interface ChatMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Slack mrkdwn needs &, < and > escaped, or a workspace name could inject a link or a mention. */
export function escapeChat(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const HEADLINE: Record<Exclude<WebhookEvent, 'usage_threshold'>, string> = {
  case_submitted: ':inbox_tray: New PrivateLink case',
  approval_needed: ':raised_hand: Approval needed for',
  case_failed: ':rotating_light: Provisioning failed for',
};

/** The chat message for a case event staff act on; `caseUrl` links to the case in the portal. */
export function caseChatMessage(event: Exclude<WebhookEvent, 'usage_threshold'>, f: CaseFacts, caseUrl: string): ChatMessage {
  const e = escapeChat;
  const what = `${e(f.warehouseName)} in ${e(f.region)} for ${e(f.workspaceName)}`;
  const detail = event === 'case_failed' && f.lastError ? `\n>${e(f.lastError)}` : '';
  const by = event === 'case_failed' ? 'Reported by' : event === 'approval_needed' ? 'Requested by' : 'Submitted by';
  return {
    text: `${HEADLINE[event]} ${f.reference}: ${what}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${HEADLINE[event]} <${caseUrl}|${f.reference}>: ${what}${detail}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${by} ${e(f.actorLabel)} · now ${e(STATE_LABEL[f.to])}` }] },
    ],
  };
}

/** The chat message for a usage threshold. */
export function usageChatMessage(f: UsageFacts): ChatMessage {
  const m = usageMessage(f);
  const icon = f.threshold === 100 ? ':no_entry:' : ':warning:';
  return {
    text: `${icon} ${escapeChat(m.title)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${icon} *${escapeChat(m.title)}*\n${escapeChat(m.body)}` } }],
  };
}

// --- E-mail: plain text and simple HTML, everything interpolated escaped. Only the case's own values appear in it:
// its reference, warehouse, region, workspace, and (customers, when live) the outputs the case page shows.

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export interface EmailFacts extends CaseFacts {
  /** The flow's key: its words (FlowDefinition.words) say what the customer does. */
  warehouse?: string;
  /** The values the customer pastes once the connection is live (label and value). */
  values?: { label: string; value: string }[];
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Build an e-mail from paragraphs, an optional list of label/value pairs and a link. */
export function composeEmail(
  subject: string,
  paragraphs: string[],
  link: { url: string; label: string },
  values: { label: string; value: string }[] = [],
): EmailMessage {
  const account = new URL('/account', link.url).toString();
  const footer = `You get this e-mail from the PrivateLink Portal. Turn e-mail of this kind off on your account page: ${account}`;
  const text = [
    ...paragraphs,
    ...(values.length ? [values.map((v) => `${v.label}: ${v.value}`).join('\n')] : []),
    `${link.label}: ${link.url}`,
    `-- \n${footer}`,
  ].join('\n\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...paragraphs.map((p) => `<p>${e(p)}</p>`),
    values.length
      ? `<table>${values.map((v) => `<tr><th align="left">${e(v.label)}</th><td><code>${e(v.value)}</code></td></tr>`).join('')}</table>`
      : '',
    `<p><a href="${e(link.url)}">${e(link.label)}</a></p>`,
    `<p style="color:#555;font-size:12px">${e(footer)}</p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}

function actionWords(f: EmailFacts): string {
  const words = f.warehouse && Object.hasOwn(FLOWS, f.warehouse) ? FLOWS[f.warehouse as Warehouse].words : undefined;
  if (f.to === 'awaiting_customer_action')
    return words?.emailAwaiting ?? 'The VPC endpoint exists. Open the case and finish the steps it lists on your side.';
  if (changesAsked(f))
    return 'Changes are needed before we can go on. Open the case, change what is asked (the note below says what) and send it again.';
  return words?.emailAccepted ?? 'Your CSM accepted the request. Open the case and give the details the next step asks for.';
}

/** The e-mail one reader gets about a case (customers never see internal error details or other workspaces). */
export function caseEmail(kind: string, role: Role, f: EmailFacts, caseUrl: string): EmailMessage {
  const conn = `${f.warehouseName} connection in ${f.region}`;
  const link = { url: caseUrl, label: `Open ${f.reference}` };
  const note = f.note ? [`Note: ${f.note}`] : [];
  const customer = role === 'customer_admin' || role === 'customer_viewer';
  switch (kind) {
    case 'case.action_needed':
      return composeEmail(`${f.reference} needs your action: ${conn}`, [actionWords(f), ...note], link);
    case 'case.active':
      return composeEmail(
        `${f.reference} is live: ${conn}`,
        [`Your ${conn} is active. Use these values in our app's integration settings:`],
        link,
        f.values ?? [],
      );
    case 'case.failed':
      return customer
        ? composeEmail(
            `${f.reference} failed: ${conn}`,
            [`Provisioning your ${conn} failed. Our engineers have been alerted and will follow up.`],
            link,
          )
        : composeEmail(`${f.reference} failed: ${conn} for ${f.workspaceName}`, [caseMessage('case.failed', role, f).body], link);
    case 'case.reminder':
      return composeEmail(
        `Reminder: ${f.reference} is waiting for you`,
        [`Your ${conn} is still waiting for you. ${actionWords(f)}`],
        link,
      );
    case 'case.customer_replied':
      return composeEmail(
        `${f.reference}: ${f.workspaceName} answered`,
        [`${f.workspaceName} sent what was asked for its ${conn}. The case is now “${STATE_LABEL[f.to]}”.`],
        link,
      );
    case 'case.submitted':
      return composeEmail(`New case ${f.reference} from ${f.workspaceName}`, [caseMessage('case.submitted', role, f).body], link);
    default: {
      const m = caseMessage(kind as NotificationKind, role, f);
      return composeEmail(m.title, [m.body], link);
    }
  }
}

/** What a message on a case's conversation says to its readers (an internal note is never put into words here). */
export interface CaseMessageFacts {
  reference: string;
  warehouseName: string;
  region: string;
  workspaceName: string;
  /** Whether the workspace wrote it (to staff), else staff wrote it (to the workspace). */
  fromCustomer: boolean;
  authorLabel: string;
  body: string;
}

/** The in-app notification about a message on a case. */
export function conversationMessage(f: CaseMessageFacts): Message {
  const conn = `${f.warehouseName} connection in ${f.region}`;
  return f.fromCustomer
    ? { title: `${f.reference}: ${f.workspaceName} wrote`, body: `${f.authorLabel} wrote on the ${conn} of ${f.workspaceName}: ${f.body}` }
    : { title: `${f.reference}: a message from staff`, body: `Staff wrote on your ${conn}: ${f.body}` };
}

/** The e-mail about a message on a case: CSMs hear the workspace's messages, the workspace's admins staff's. */
export function conversationEmail(f: CaseMessageFacts, caseUrl: string): EmailMessage {
  const link = { url: caseUrl, label: f.fromCustomer ? `Answer on ${f.reference}` : `Open ${f.reference}` };
  const m = conversationMessage(f);
  return f.fromCustomer
    ? composeEmail(m.title, [`${f.authorLabel} of ${f.workspaceName} wrote on ${f.reference}:`, f.body], link)
    : composeEmail(
        m.title,
        [`Staff wrote on your ${f.warehouseName} connection in ${f.region} (${f.reference}):`, f.body, 'Answer on the case page.'],
        link,
      );
}

/** The e-mail about a usage threshold. */
export function usageEmail(f: UsageFacts, usageUrl: string): EmailMessage {
  const m = usageMessage(f);
  return composeEmail(m.title, [m.body], { url: usageUrl, label: 'See the usage' });
}

/** The chat alert for a case that has waited on staff too long. */
export function staffReminderChatMessage(f: CaseFacts, caseUrl: string, waitedHours: number): ChatMessage {
  const e = escapeChat;
  const what = `${e(f.warehouseName)} in ${e(f.region)} for ${e(f.workspaceName)}`;
  const head = `:hourglass: ${f.reference} has waited ${waitedHours} h in “${e(STATE_LABEL[f.to])}”`;
  return {
    text: `${head}: ${what}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:hourglass: <${caseUrl}|${f.reference}> has waited ${waitedHours} h in “${e(STATE_LABEL[f.to])}”: ${what}`,
        },
      },
    ],
  };
}
