import 'server-only';
import { and, eq, inArray, isNull, type WithSubquery } from 'drizzle-orm';
import type { Tx } from '@/db/index';
import type { NotificationInsert } from '@/db/queries/notifications';
import { type Recipient, listRecipients } from '@/db/queries/users';
import { type Case, notifications, outbox, workspaces } from '@/db/schema';
import type { CaseEventName } from '@/lib/cases/machine';
import { chatRow, emailRows, type OutboxInsert } from '@/lib/outbox/enqueue';
import { wakeOutbox } from '@/lib/outbox/loop';
import { FLOWS } from '@/lib/providers';
import { publicUrl } from '@/lib/public-url';
import {
  type CaseMessageFacts,
  caseChatMessage,
  caseEmail,
  conversationEmail,
  conversationMessage,
  caseMessage,
  type EmailFacts,
  type EndpointAzFacts,
  endpointAzMessage,
  type UsageFacts,
  usageChatMessage,
  usageEmail,
  usageMessage,
} from './messages';
import {
  type Delivery,
  type EmailDelivery,
  NEEDS_ACTION,
  planCaseEmail,
  planCaseMessage,
  planCaseTransition,
  planEndpointAzChange,
  planUsageEmail,
  planUsageThreshold,
} from './rules';
import type { CaseState } from '@/lib/domain/case-states';
import { type Role, CUSTOMER_ROLES } from '@/lib/domain/roles';

/**
 * Call after the transaction committed: wakes this process's delivery loop, so the messages the transaction wrote to
 * the outbox go out at once (never blocks, never throws). Safe to call twice; not calling it only delays delivery.
 */
export type AfterCommit = () => void;

/** Who caused the change: a person (as lib/cases/service.ts CaseActor) or the reconciler. */
export type NotifyActor = { id: string; role: Role; email?: string | null } | 'reconciler';

export interface CaseTransitionNotice {
  caseRow: Pick<Case, 'id' | 'number' | 'workspaceId' | 'warehouse' | 'region' | 'lastError'> & Partial<Pick<Case, 'outputs'>>;
  /** The case's workspace's name, when the caller read it already (else it is read here). */
  workspaceName?: string;
  from: CaseState | null;
  to: CaseState;
  event: CaseEventName;
  actor: NotifyActor;
  /** The reason or note given with the event, shown to the readers. */
  note?: string | null;
}

function once(fn: () => void): AfterCommit {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    try {
      fn();
    } catch (err) {
      console.error('[notify] could not wake the delivery loop:', err);
    }
  };
}

/** A link to a page of the portal, at its public address (lib/public-url.ts). */
function portalUrl(path: string): string {
  return new URL(path, publicUrl()).toString();
}

/** The in-app notices of the deliveries: one per person, for the first delivery that names their role. */
function inAppRows(
  deliveries: Delivery[],
  people: Recipient[],
  row: (kind: Delivery['kind'], role: Role) => Omit<NotificationInsert, 'userId' | 'kind'>,
): NotificationInsert[] {
  return people.flatMap((r) => {
    const d = deliveries.find((x) => x.roles.includes(r.role));
    return d ? [{ ...row(d.kind, r.role), userId: r.id, kind: d.kind }] : [];
  });
}

/** What one event writes for people: its in-app notices, and its e-mails and chat message as outbox rows. */
interface EventMessages {
  notices: NotificationInsert[];
  outbox: OutboxInsert[];
}

/**
 * Write an event's messages in one savepoint of the caller's transaction, with one statement: they commit with the
 * event, or — if writing them fails — the event still commits without any of them and the failure is logged (a
 * message never blocks a case). Returns how many in-app notices were written.
 */
async function writeMessages(tx: Tx, workspaceId: string, m: EventMessages): Promise<number> {
  if (m.notices.length === 0 && m.outbox.length === 0) return 0;
  try {
    await tx.transaction(async (sp) => {
      if (m.outbox.length === 0) await sp.insert(notifications).values(m.notices);
      else if (m.notices.length === 0) await sp.insert(outbox).values(m.outbox);
      else {
        // Both in one round trip: PostgreSQL runs a data-modifying WITH once and to completion (docs/design.md#notifications).
        const written = sp.$with('notices').as(sp.insert(notifications).values(m.notices).returning({ id: notifications.id }));
        await sp.with(written).insert(outbox).values(m.outbox);
      }
    });
    return m.notices.length;
  } catch (err) {
    // The database's own words (Drizzle's message would repeat the query and its parameters into the log).
    const e = err as Error & { cause?: Error };
    console.error(`[notify] messages for workspace ${workspaceId} not written: ${e.cause?.message ?? e.message}`);
    return 0;
  }
}

/**
 * Everyone an event's in-app notices and e-mails may reach, in one read: the enabled accounts with any role the
 * deliveries name (customers of the workspace only, never the person who acted), with their e-mail opt-outs. Each
 * delivery then keeps the people of its own roles.
 */
function audienceOf(
  tx: Tx,
  inApp: Delivery[],
  email: EmailDelivery[],
  workspaceId: string,
  exceptUserId: string | null,
  alongside: WithSubquery[] = [],
) {
  return listRecipients(
    tx,
    [...inApp, ...email].flatMap((d) => d.roles),
    { workspaceId, exceptUserId, emailKinds: email.map((d) => d.kind) },
    alongside,
  );
}

async function workspaceName(tx: Tx, id: string): Promise<string> {
  const [ws] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id));
  return ws?.name ?? 'a workspace';
}

/** The values a live case hands the customer, as the case page labels them (only this case's own outputs). */
function pasteValues(c: CaseTransitionNotice['caseRow']): { label: string; value: string }[] {
  const flow = FLOWS[c.warehouse];
  if (!flow || !c.outputs) return [];
  const out = flow.readOutputs?.(c.outputs) ?? c.outputs;
  return flow.outputs.flatMap((o) => {
    const v = out[o.key];
    return typeof v === 'string' || typeof v === 'number' ? [{ label: o.label, value: String(v) }] : [];
  });
}

/**
 * Announce a case transition, all inside the caller's transaction: resolve the notifications that asked someone to
 * act in the state the case left (and cancel its unsent reminders); in-app notifications for the case's workspace
 * members (every change; "needs your action" when they must act) and for staff (CSMs: submitted, ready to provision,
 * failed; engineers: pending approval, failed), never to the person who acted; the e-mails of planCaseEmail and the
 * chat message (new case, approval needed, failed) as outbox rows. Returns a function to call AFTER the commit that
 * wakes the delivery loop — a rolled-back transition leaves no row, so it announces nothing.
 */
export async function notifyCaseTransition(tx: Tx, n: CaseTransitionNotice): Promise<AfterCommit> {
  const plan = planCaseTransition(n.to, n.event);
  const c = n.caseRow;
  const facts: EmailFacts = {
    caseId: c.id,
    reference: `PL-${c.number}`,
    warehouse: c.warehouse,
    warehouseName: FLOWS[c.warehouse]?.name ?? c.warehouse,
    region: c.region,
    workspaceName: n.workspaceName ?? (await workspaceName(tx, c.workspaceId)),
    from: n.from,
    to: n.to,
    actorLabel: n.actor === 'reconciler' ? 'the provisioning service' : (n.actor.email ?? n.actor.role),
    note: n.note?.trim() || null,
    lastError: c.lastError ?? null,
    values: n.to === 'active' ? pasteValues(c) : [],
  };
  const actorId = n.actor === 'reconciler' ? null : n.actor.id;
  const emails = planCaseEmail(n.to, n.event);
  const resolving = n.from !== n.to ? resolveCaseNotifications(tx, c.id) : [];
  const people = await audienceOf(tx, plan.inApp, emails, c.workspaceId, actorId, resolving);
  const caseUrl = portalUrl(`/cases/${c.id}`);
  const event = plan.webhook;
  await writeMessages(tx, c.workspaceId, {
    notices: inAppRows(plan.inApp, people, (kind, role) => ({
      ...caseMessage(kind, role, facts),
      workspaceId: c.workspaceId,
      caseId: c.id,
    })),
    outbox: [
      ...emailRows(emails, { workspaceId: c.workspaceId, caseId: c.id }, people, (kind, role) => caseEmail(kind, role, facts, caseUrl)),
      ...(event && event !== 'usage_threshold'
        ? [chatRow({ kind: event, caseId: c.id, workspaceId: c.workspaceId, message: caseChatMessage(event, facts, caseUrl) })]
        : []),
    ],
  });
  return once(wakeOutbox);
}

export interface CaseMessageNotice {
  caseRow: Pick<Case, 'id' | 'number' | 'workspaceId' | 'warehouse' | 'region'>;
  audience: 'customer' | 'internal';
  author: { id: string; role: Role; email?: string | null; name?: string | null };
  body: string;
}

/**
 * Announce a message on a case inside the caller's transaction (planCaseMessage): the workspace's message to the
 * CSMs, staff's to the workspace's members, never to the author; an internal note to nobody. Returns the after-commit
 * wake-up of the delivery loop.
 */
export async function notifyCaseMessage(tx: Tx, n: CaseMessageNotice): Promise<AfterCommit> {
  const plan = planCaseMessage(n.audience, n.author.role);
  const c = n.caseRow;
  if (plan.inApp.length === 0 && plan.email.length === 0) return () => {};
  const facts: CaseMessageFacts = {
    reference: `PL-${c.number}`,
    warehouseName: FLOWS[c.warehouse]?.name ?? c.warehouse,
    region: c.region,
    workspaceName: await workspaceName(tx, c.workspaceId),
    fromCustomer: CUSTOMER_ROLES.includes(n.author.role),
    authorLabel: n.author.name ?? n.author.email ?? 'A workspace admin',
    body: n.body,
  };
  const people = await audienceOf(tx, plan.inApp, plan.email, c.workspaceId, n.author.id);
  const caseUrl = portalUrl(`/cases/${c.id}`);
  await writeMessages(tx, c.workspaceId, {
    notices: inAppRows(plan.inApp, people, () => ({ ...conversationMessage(facts), workspaceId: c.workspaceId, caseId: c.id })),
    outbox: emailRows(plan.email, { workspaceId: c.workspaceId, caseId: c.id }, people, () => conversationEmail(facts, caseUrl)),
  });
  return once(wakeOutbox);
}

/**
 * The case moved: what asked someone to act on it is done (or moot). Its unread "needs you" notifications become
 * read, and reminders not yet sent are cancelled (a new wait starts its own). Returned as data-modifying WITH queries
 * for the audience read to carry: one statement for that read and both writes (docs/design.md#notifications).
 */
function resolveCaseNotifications(tx: Tx, caseId: string, now: Date = new Date()): WithSubquery[] {
  const resolved = tx.$with('resolved').as(
    tx
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.caseId, caseId), isNull(notifications.readAt), inArray(notifications.kind, [...NEEDS_ACTION])))
      .returning({ id: notifications.id }),
  );
  const cancelled = tx.$with('cancelled').as(
    tx
      .update(outbox)
      .set({ state: 'cancelled', lastError: 'The case moved on before the reminder went out.' })
      .where(
        and(
          eq(outbox.caseId, caseId),
          inArray(outbox.kind, ['case.reminder', 'reminder.staff']),
          inArray(outbox.state, ['pending', 'held']),
        ),
      )
      .returning({ id: outbox.id }),
  );
  return [resolved, cancelled];
}

/**
 * Announce a usage threshold inside the caller's transaction: in-app for the workspace and staff, e-mail to the same
 * people, and the chat message. Returns how many in-app notifications were written, and the after-commit wake-up.
 */
export async function notifyUsageThreshold(
  tx: Tx,
  workspaceId: string,
  facts: UsageFacts,
): Promise<{ notified: number; afterCommit: AfterCommit }> {
  const message = usageMessage(facts);
  const inApp = planUsageThreshold(facts.threshold);
  const emails = planUsageEmail(facts.threshold);
  const people = await audienceOf(tx, inApp, emails, workspaceId, null);
  const usageUrl = portalUrl(`/usage?workspace=${workspaceId}`);
  const notified = await writeMessages(tx, workspaceId, {
    notices: inAppRows(inApp, people, () => ({ ...message, workspaceId })),
    outbox: [
      ...emailRows(emails, { workspaceId }, people, () => usageEmail(facts, usageUrl)),
      chatRow({ kind: 'usage_threshold', workspaceId, message: usageChatMessage(facts) }),
    ],
  });
  return { notified, afterCommit: once(wakeOutbox) };
}

/** An active endpoint the reconciler moved to follow its service's zones. */
export interface EndpointAzChangeNotice {
  caseRow: Pick<Case, 'id' | 'number' | 'workspaceId' | 'warehouse' | 'region'>;
  vpcEndpointId: string;
  serviceName: string;
  beforeAzIds: string[];
  afterAzIds: string[];
}

/**
 * Tell the workspace's admins and the engineers, in-app, that an active endpoint's subnets moved
 * (docs/design.md#drift). Written whatever becomes of the rest of the look: the move happened in AWS. No chat
 * message: nobody has to act. Returns how many notifications were written.
 */
export async function notifyEndpointAzChange(tx: Tx, n: EndpointAzChangeNotice): Promise<number> {
  const c = n.caseRow;
  const facts: EndpointAzFacts = {
    reference: `PL-${c.number}`,
    warehouseName: FLOWS[c.warehouse]?.name ?? c.warehouse,
    region: c.region,
    vpcEndpointId: n.vpcEndpointId,
    serviceName: n.serviceName,
    beforeAzIds: n.beforeAzIds,
    afterAzIds: n.afterAzIds,
  };
  const inApp = planEndpointAzChange();
  const people = await audienceOf(tx, inApp, [], c.workspaceId, null);
  return writeMessages(tx, c.workspaceId, {
    notices: inAppRows(inApp, people, () => ({ ...endpointAzMessage(facts), workspaceId: c.workspaceId, caseId: c.id })),
    outbox: [],
  });
}
