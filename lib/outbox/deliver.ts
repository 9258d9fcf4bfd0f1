/**
 * Delivering the outbox (docs/design.md#the-outbox), the reconciler's lease pattern: a claim is one statement that
 * picks due rows with FOR UPDATE SKIP LOCKED and stamps lease_owner/lease_expires_at (and counts the attempt); the
 * message is sent with no transaction open; the result is written only while the lease is still ours. A process that
 * dies mid-send leaves its rows to be claimed again when their leases expire — the receiver may then see a message
 * twice, with the same delivery id (webhook `delivery_id`, e-mail Message-ID) both times.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, eq, getTableColumns, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { type OutboxRow, outbox } from '@/db/schema';
import { backoff } from '@/lib/backoff';
import { postWebhook, type SendResult, webhookUrl } from '@/lib/notifications/webhook';
import { readSettings } from '@/lib/settings';
import { createMailer, emailConfig, type Mailer } from './email';

type Env = Record<string, string | undefined>;

export interface OutboxConfig {
  /** This deliverer's name in outbox.lease_owner: host, process and a random suffix. */
  owner: string;
  batchSize: number;
  concurrency: number;
  /** How long a claim holds a row: longer than one send can take (the send timeout). */
  leaseMs: number;
  idleMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  sendTimeoutMs: number;
  remind: { customerAfterMs: number; customerEveryMs: number; staffAfterMs: number; staffEveryMs: number; sweepMs: number };
}

export function outboxConfig(env: Env = process.env, overrides: Partial<OutboxConfig> = {}): OutboxConfig {
  const s = readSettings(env);
  return {
    owner: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    batchSize: s.OUTBOX_BATCH_SIZE,
    concurrency: s.OUTBOX_CONCURRENCY,
    leaseMs: Math.max(s.OUTBOX_LEASE_MS, s.OUTBOX_SEND_TIMEOUT_MS * 2),
    idleMs: s.OUTBOX_IDLE_MS,
    maxAttempts: s.OUTBOX_MAX_ATTEMPTS,
    backoffBaseMs: s.OUTBOX_BACKOFF_BASE_MS,
    backoffMaxMs: s.OUTBOX_BACKOFF_MAX_MS,
    sendTimeoutMs: s.OUTBOX_SEND_TIMEOUT_MS,
    remind: {
      customerAfterMs: s.REMIND_CUSTOMER_AFTER_MS,
      customerEveryMs: s.REMIND_CUSTOMER_EVERY_MS,
      staffAfterMs: s.REMIND_STAFF_AFTER_MS,
      staffEveryMs: s.REMIND_STAFF_EVERY_MS,
      sweepMs: s.REMIND_SWEEP_MS,
    },
    ...overrides,
  };
}

/** Where messages go; a channel without a transport keeps its messages (held). */
export interface Transports {
  webhook: ((row: OutboxRow) => Promise<SendResult>) | null;
  email: ((row: OutboxRow) => Promise<SendResult>) | null;
  close(): void;
}

/** The transports the environment configures (throws naming a bad SMTP_URL, SMTP_FROM or NOTIFY_WEBHOOK_URL). */
export function transportsFrom(env: Env = process.env, timeoutMs = readSettings(env).OUTBOX_SEND_TIMEOUT_MS): Transports {
  const hook = webhookUrl(env);
  const mail = emailConfig(env);
  const mailer: Mailer | null = mail ? createMailer(mail, timeoutMs, env) : null;
  return {
    webhook: hook ? (row) => postWebhook(hook, row.payload, row.id, timeoutMs) : null,
    email: mailer
      ? (row) =>
          mailer.send({
            id: row.id,
            to: row.recipient!,
            subject: row.subject,
            text: String(row.payload.text ?? ''),
            html: String(row.payload.html ?? ''),
          })
      : null,
    close() {
      mailer?.close();
    },
  };
}

/**
 * Claim up to `limit` due rows whose lease is free or expired. Concurrent claimers skip each other's rows.
 *
 * The locking SELECT is a CTE, not `WHERE id IN (subquery)`: PostgreSQL may re-run a subquery when the UPDATE meets a
 * row changed since its snapshot, and each run locks more rows, so one claim took 196 rows with a limit of 4 and two
 * claimers took the same ones. A CTE is run once; the lease test is repeated on the row the UPDATE writes, so a row
 * another claimer leased meanwhile is left alone (docs/design.md#rounds-and-leases).
 */
export async function claimDue(db: Db, owner: string, limit: number, leaseMs: number, now: Date): Promise<OutboxRow[]> {
  const claimable = and(
    eq(outbox.state, 'pending'),
    lte(outbox.nextAttemptAt, now),
    or(isNull(outbox.leaseExpiresAt), lt(outbox.leaseExpiresAt, now)),
  );
  const due = db
    .$with('due')
    .as(
      db
        .select({ id: outbox.id })
        .from(outbox)
        .where(claimable)
        .orderBy(asc(outbox.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true }),
    );
  return db
    .with(due)
    .update(outbox)
    .set({ leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .from(due)
    .where(and(eq(outbox.id, due.id), claimable))
    .returning(getTableColumns(outbox));
}

export type Settled = 'sent' | 'retry' | 'failed' | 'held' | 'lost';

/** Write what became of a claimed row, only while the lease is ours ('lost' otherwise). */
async function settle(db: Db, row: OutboxRow, owner: string, set: Partial<typeof outbox.$inferInsert>, as: Settled): Promise<Settled> {
  const done = await db
    .update(outbox)
    .set({ leaseOwner: null, leaseExpiresAt: null, ...set })
    .where(and(eq(outbox.id, row.id), eq(outbox.leaseOwner, owner), eq(outbox.state, 'pending')))
    .returning({ id: outbox.id });
  return done.length === 1 ? as : 'lost';
}

/** Send one claimed row and record the outcome: sent, a retry with backoff (or the receiver's Retry-After), or given up. */
export async function deliverRow(
  db: Db,
  row: OutboxRow,
  t: Transports,
  config: OutboxConfig,
  clock: () => Date = () => new Date(),
): Promise<Settled> {
  const send = row.channel === 'email' ? t.email : t.webhook;
  if (!send) {
    const why =
      row.channel === 'email' ? 'SMTP_URL is not set: kept here, not sent.' : 'NOTIFY_WEBHOOK_URL is not set: kept here, not sent.';
    return settle(db, row, config.owner, { state: 'held', lastError: why, attempts: 0 }, 'held');
  }
  if (row.attempts > config.maxAttempts) {
    // Claimed again and again without an outcome: its deliverers died mid-send. Stop rather than loop for ever.
    const why = `no outcome recorded after ${config.maxAttempts} attempts (the deliverer stopped mid-send); gave up`;
    return settle(db, row, config.owner, { state: 'failed', lastError: why }, 'failed');
  }
  let result: SendResult;
  try {
    result = await send(row);
  } catch (err) {
    result = { ok: false, retry: true, reason: (err as Error).name };
  }
  const now = clock();
  if (result.ok) return settle(db, row, config.owner, { state: 'sent', sentAt: now, lastError: null }, 'sent');
  if (!result.retry || row.attempts >= config.maxAttempts) {
    const why = result.retry ? `${result.reason}; gave up after ${row.attempts} attempts` : `${result.reason}; refused, not retried`;
    return settle(db, row, config.owner, { state: 'failed', lastError: why }, 'failed');
  }
  const wait = Math.max(
    backoff(row.attempts, { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs, jitter: 'equal' }),
    Math.min(result.retryAfterMs ?? 0, config.backoffMaxMs),
  );
  return settle(db, row, config.owner, { nextAttemptAt: new Date(now.getTime() + wait), lastError: result.reason }, 'retry');
}

/** One round: claim a batch and deliver it, `concurrency` at a time. Returns what became of each row. */
export async function deliverOnce(db: Db, t: Transports, config: OutboxConfig, clock: () => Date = () => new Date()): Promise<Settled[]> {
  const rows = await claimDue(db, config.owner, config.batchSize, config.leaseMs, clock());
  const results: Settled[] = [];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      results.push(await deliverRow(db, row, t, config, clock));
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, rows.length) }, worker));
  return results;
}
