import 'server-only';
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/index';
import { createNotifications, type NotificationInsert } from '@/db/queries/notifications';
import { listRecipients } from '@/db/queries/users';
import { type Case, workspaces } from '@/db/schema';
import type { CaseEventName } from '@/lib/cases/machine';
import { FLOWS } from '@/lib/providers';
import { type CaseFacts, caseChatMessage, caseMessage, type ChatMessage, type EndpointAzFacts, endpointAzMessage } from './messages';
import { type Delivery, planCaseTransition, planEndpointAzChange } from './rules';
import { enqueueWebhook } from './webhook';
import type { CaseState } from '@/lib/domain/case-states';
import { type Role, CUSTOMER_ROLES, STAFF_ROLES } from '@/lib/domain/roles';

/** Call after the transaction committed: queues the chat webhooks (never blocks, never throws). Safe to call twice. */
export type AfterCommit = () => void;

/** Who caused the change: a person (as lib/cases/service.ts CaseActor) or the reconciler. */
export type NotifyActor = { id: string; role: Role; email?: string | null } | 'reconciler';

export interface CaseTransitionNotice {
  caseRow: Pick<Case, 'id' | 'number' | 'workspaceId' | 'warehouse' | 'region' | 'lastError'>;
  from: CaseState | null;
  to: CaseState;
  event: CaseEventName;
  actor: NotifyActor;
  /** The reason or note given with the event, shown to the readers. */
  note?: string | null;
}

const noop: AfterCommit = () => {};

function once(fn: () => void): AfterCommit {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    try {
      fn();
    } catch (err) {
      console.error('[notify] could not queue the webhook:', err);
    }
  };
}

/** The portal's public address for links in chat messages (NEXTAUTH_URL, as next-auth uses it). */
export function portalUrl(path: string): string {
  const base = process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT ?? 3000}`;
  return new URL(path, base).toString();
}

/**
 * Insert one notification per recipient of each delivery. Runs in a savepoint: if it fails, the caller's transaction
 * (the case transition) still commits, without any notification row, and the failure is logged.
 */
export async function deliverInApp(
  tx: Tx,
  deliveries: Delivery[],
  workspaceId: string,
  exceptUserId: string | null,
  row: (kind: Delivery['kind'], role: Role) => Omit<NotificationInsert, 'userId' | 'kind'>,
): Promise<number> {
  const roles = [...new Set(deliveries.flatMap((d) => d.roles))];
  try {
    return await tx.transaction(async (sp) => {
      const recipients = await listRecipients(sp, {
        staffRoles: roles.filter((r) => STAFF_ROLES.includes(r)),
        customerRoles: roles.filter((r) => CUSTOMER_ROLES.includes(r)),
        workspaceId,
        exceptUserId,
      });
      const rows = recipients.flatMap((r) => {
        const d = deliveries.find((x) => x.roles.includes(r.role));
        return d ? [{ ...row(d.kind, r.role), userId: r.id, kind: d.kind }] : [];
      });
      return createNotifications(sp, rows);
    });
  } catch (err) {
    // The database's own words (Drizzle's message would repeat the query and its parameters into the log).
    const e = err as Error & { cause?: Error };
    console.error(`[notify] in-app notifications for workspace ${workspaceId} not written: ${e.cause?.message ?? e.message}`);
    return 0;
  }
}

async function workspaceName(tx: Tx, id: string): Promise<string> {
  const [ws] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id));
  return ws?.name ?? 'a workspace';
}

/**
 * Announce a case transition: inside the caller's transaction, in-app notifications for the case's workspace members
 * (every change; "needs your action" when they must act) and for staff (CSMs: submitted, ready to provision, failed;
 * engineers: pending approval, failed), never to the person who acted. Returns a function to call AFTER the commit
 * that queues the chat webhook (new case, approval needed, failed) — so a rolled-back transition announces nothing.
 */
export async function notifyCaseTransition(tx: Tx, n: CaseTransitionNotice): Promise<AfterCommit> {
  const plan = planCaseTransition(n.to);
  const c = n.caseRow;
  const facts: CaseFacts = {
    caseId: c.id,
    reference: `PL-${c.number}`,
    warehouseName: FLOWS[c.warehouse]?.name ?? c.warehouse,
    region: c.region,
    workspaceName: await workspaceName(tx, c.workspaceId),
    from: n.from,
    to: n.to,
    actorLabel: n.actor === 'reconciler' ? 'the provisioning service' : (n.actor.email ?? n.actor.role),
    note: n.note?.trim() || null,
    lastError: c.lastError ?? null,
  };
  await deliverInApp(tx, plan.inApp, c.workspaceId, n.actor === 'reconciler' ? null : n.actor.id, (kind, role) => ({
    ...caseMessage(kind, role, facts),
    workspaceId: c.workspaceId,
    caseId: c.id,
  }));
  const event = plan.webhook;
  if (!event || event === 'usage_threshold') return noop;
  const message: ChatMessage = caseChatMessage(event, facts, portalUrl(`/cases/${c.id}`));
  return once(() => {
    enqueueWebhook(message, `${event} ${facts.reference}`);
  });
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
  return deliverInApp(tx, planEndpointAzChange(), c.workspaceId, null, () => ({
    ...endpointAzMessage(facts),
    workspaceId: c.workspaceId,
    caseId: c.id,
  }));
}
