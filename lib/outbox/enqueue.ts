/**
 * Writing to the outbox (docs/design.md#the-outbox): always inside the transaction of the event that causes the
 * message, so a rolled-back event sends nothing and a committed one is never lost. Delivery is the loop's business.
 */
import 'server-only';
import type { Db, Tx } from '@/db/index';
import { type Recipient, listRecipients } from '@/db/queries/users';
import { outbox } from '@/db/schema';
import type { ChatMessage, EmailMessage } from '@/lib/notifications/messages';
import type { EmailDelivery } from '@/lib/notifications/rules';
import type { Role } from '@/lib/domain/roles';

export type OutboxInsert = typeof outbox.$inferInsert;

/** The outbox row of one chat message for the channel. */
export function chatRow(m: { kind: string; message: ChatMessage; caseId?: string | null; workspaceId?: string | null }): OutboxInsert {
  return {
    channel: 'webhook',
    kind: m.kind,
    caseId: m.caseId ?? null,
    workspaceId: m.workspaceId ?? null,
    subject: m.message.text.slice(0, 300),
    payload: { ...m.message },
  };
}

/** One chat message for the channel. */
export async function enqueueChat(tx: Db | Tx, m: Parameters<typeof chatRow>[0]): Promise<void> {
  await tx.insert(outbox).values(chatRow(m));
}

interface EmailScope {
  workspaceId: string | null;
  caseId?: string | null;
  exceptUserId?: string | null;
}

/**
 * The outbox rows that e-mail each of `people` a delivery names; `build` writes the message for one kind and role.
 * One e-mail per person, for the first delivery that names their role, and none to those who turned that kind off.
 */
export function emailRows(
  deliveries: EmailDelivery[],
  scope: EmailScope,
  people: Recipient[],
  build: (kind: EmailDelivery['kind'], role: Role) => EmailMessage,
): OutboxInsert[] {
  return people.flatMap((user) => {
    const d = deliveries.find((x) => x.roles.includes(user.role));
    if (!d || user.optedOut.includes(d.kind)) return [];
    const m = build(d.kind, user.role);
    return [
      {
        channel: 'email',
        kind: d.kind,
        caseId: scope.caseId ?? null,
        workspaceId: scope.workspaceId,
        userId: user.id,
        recipient: user.email,
        subject: m.subject,
        payload: { text: m.text, html: m.html },
      },
    ];
  });
}

/**
 * E-mail each recipient of the deliveries (emailRows); returns how many. The recipients are the enabled accounts with
 * a delivery's role (db/queries/users.ts listRecipients: staff with the role, customers of this workspace only, never
 * `exceptUserId`, the person who acted), less those who turned that kind of e-mail off.
 */
export async function enqueueEmails(
  tx: Db | Tx,
  deliveries: EmailDelivery[],
  scope: EmailScope,
  build: (kind: EmailDelivery['kind'], role: Role) => EmailMessage,
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const people = await listRecipients(
    tx,
    deliveries.flatMap((d) => d.roles),
    { workspaceId: scope.workspaceId, exceptUserId: scope.exceptUserId, emailKinds: deliveries.map((d) => d.kind) },
  );
  const rows = emailRows(deliveries, scope, people, build);
  if (rows.length > 0) await tx.insert(outbox).values(rows);
  return rows.length;
}
