/**
 * Reminders (docs/design.md#the-outbox): a case that has waited on the customer longer than REMIND_CUSTOMER_AFTER_MS
 * e-mails the workspace's admins, then again every REMIND_CUSTOMER_EVERY_MS; one waiting on staff longer than
 * REMIND_STAFF_AFTER_MS alerts the chat channel, then every REMIND_STAFF_EVERY_MS. The wait starts at the case event
 * that entered the state; the nth reminder of a (case, wait) is recorded once in case_reminders, in the transaction
 * that writes its outbox rows, so restarts and concurrent loops never send it twice. A case that moves starts a new
 * wait (and cancels reminders not yet sent: lib/notifications/notify.ts), so reminders stop by themselves.
 */
import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { caseEvents, caseReminders, cases, workspaces } from '@/db/schema';
import type { CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';
import { caseEmail, type EmailFacts, staffReminderChatMessage } from '@/lib/notifications/messages';
import { remindersDue, WAITS_ON_CUSTOMER, WAITS_ON_STAFF } from '@/lib/notifications/rules';
import { FLOWS } from '@/lib/providers';
import { publicUrl } from '@/lib/public-url';
import type { OutboxConfig } from './deliver';
import { enqueueChat, enqueueEmails } from './enqueue';

type Audience = 'customer' | 'staff';

interface Waiting {
  id: string;
  number: number;
  workspaceId: string;
  workspaceName: string;
  warehouse: Warehouse;
  region: string;
  state: CaseState;
  sinceEventId: number;
  since: Date;
  from: CaseState | null;
}

/** The event that started the current wait: the last one that changed the case's state into the one it is in. */
const lastEntry = sql`(select max(ce.id) from case_events ce
  where ce.case_id = "cases"."id" and ce.from_state is distinct from ce.to_state)`;

async function waitingCases(db: Db, states: readonly CaseState[]): Promise<Waiting[]> {
  const rows = await db
    .select({
      id: cases.id,
      number: cases.number,
      workspaceId: cases.workspaceId,
      workspaceName: workspaces.name,
      warehouse: cases.warehouse,
      region: cases.region,
      state: cases.state,
      sinceEventId: caseEvents.id,
      since: caseEvents.createdAt,
      from: caseEvents.fromState,
    })
    .from(cases)
    .innerJoin(workspaces, eq(workspaces.id, cases.workspaceId))
    .innerJoin(caseEvents, sql`${caseEvents.id} = ${lastEntry}`)
    .where(and(inArray(cases.state, [...states]), sql`${caseEvents.toState} = ${cases.state}`));
  return rows;
}

export interface SweepResult {
  customer: number;
  staff: number;
}

/** Write the reminders due at `now` (an injected clock in tests). Returns how many reminders were new. */
export async function sweepReminders(db: Db, config: Pick<OutboxConfig, 'remind'>, now: Date = new Date()): Promise<SweepResult> {
  const r = config.remind;
  const result: SweepResult = { customer: 0, staff: 0 };
  const plan: [Audience, readonly CaseState[], number, number][] = [
    ['customer', WAITS_ON_CUSTOMER, r.customerAfterMs, r.customerEveryMs],
    ['staff', WAITS_ON_STAFF, r.staffAfterMs, r.staffEveryMs],
  ];
  for (const [audience, states, after, every] of plan) {
    for (const c of await waitingCases(db, states)) {
      const waited = now.getTime() - c.since.getTime();
      const n = remindersDue(waited, after, every);
      if (n === 0) continue;
      if (await remind(db, c, audience, n, waited)) result[audience] += 1;
    }
  }
  return result;
}

async function remind(db: Db, c: Waiting, audience: Audience, n: number, waitedMs: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Still the same wait? The share lock holds off a transition until this commits (and it then cancels what is unsent).
    const [still] = await tx
      .select({ id: cases.id, entry: lastEntry.mapWith(Number) })
      .from(cases)
      .where(and(eq(cases.id, c.id), eq(cases.state, c.state)))
      .for('share');
    if (!still || still.entry !== c.sinceEventId) return false;
    const inserted = await tx
      .insert(caseReminders)
      .values({ caseId: c.id, sinceEventId: c.sinceEventId, audience, n })
      .onConflictDoNothing()
      .returning({ n: caseReminders.n });
    if (inserted.length === 0) return false;
    const facts: EmailFacts = {
      caseId: c.id,
      reference: `PL-${c.number}`,
      warehouse: c.warehouse,
      warehouseName: FLOWS[c.warehouse]?.name ?? c.warehouse,
      region: c.region,
      workspaceName: c.workspaceName,
      from: c.from,
      to: c.state,
      actorLabel: 'the portal',
      note: null,
      lastError: null,
    };
    const url = new URL(`/cases/${c.id}`, publicUrl()).toString();
    if (audience === 'customer') {
      await enqueueEmails(
        tx,
        [{ roles: ['customer_admin'], kind: 'case.reminder' }],
        { workspaceId: c.workspaceId, caseId: c.id },
        (kind, role) => caseEmail(kind, role, facts, url),
      );
    } else {
      await enqueueChat(tx, {
        kind: 'reminder.staff',
        caseId: c.id,
        workspaceId: c.workspaceId,
        message: staffReminderChatMessage(facts, url, Math.floor(waitedMs / 3_600_000)),
      });
    }
    return true;
  });
}
