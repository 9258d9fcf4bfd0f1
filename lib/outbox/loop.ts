/**
 * The delivery loop (docs/design.md#the-outbox): rounds back to back while there is mail, a short pause when there is
 * none, and a reminder sweep every REMIND_SWEEP_MS. One loop per process (instrumentation.ts, `npm run worker`);
 * several processes may deliver from one PostgreSQL — the lease makes each message go out once. OUTBOX=off skips it.
 */
import 'server-only';
import type { Db } from '@/db/index';
import { type RoundLoop, startRoundLoop } from '@/lib/rounds';
import { deliverOnce, type OutboxConfig, outboxConfig, type Transports, transportsFrom } from './deliver';
import { sweepReminders } from './reminders';

export type OutboxLoop = RoundLoop;

export function startOutboxLoop(
  db: Db,
  transports: Transports,
  config: OutboxConfig,
  opts: { log?: Pick<Console, 'error' | 'log'>; clock?: () => Date } = {},
): OutboxLoop {
  const clock = opts.clock ?? (() => new Date());
  let lastSweep = 0;
  const loop = startRoundLoop({
    name: 'outbox',
    idleMs: config.idleMs,
    log: opts.log,
    round: async () => {
      if (clock().getTime() - lastSweep >= config.remind.sweepMs) {
        lastSweep = clock().getTime();
        await sweepReminders(db, config, clock());
      }
      return (await deliverOnce(db, transports, config, clock)).length > 0;
    },
  });
  return {
    async stop() {
      await loop.stop();
      transports.close();
    },
    wake: loop.wake,
  };
}

const g = globalThis as unknown as { __plpOutbox?: OutboxLoop | 'starting' };

export function outboxEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return (env.OUTBOX ?? '').trim().toLowerCase() !== 'off';
}

/** Check the configuration (throws naming the bad setting) and return a starter for a database. */
export function prepareOutbox(env: Record<string, string | undefined> = process.env) {
  const config = outboxConfig(env);
  const transports = transportsFrom(env, config.sendTimeoutMs);
  const channels = [
    transports.email ? 'e-mail' : 'e-mail held (no SMTP_URL)',
    transports.webhook ? 'chat' : 'chat held (no NOTIFY_WEBHOOK_URL)',
  ];
  return (db: Db): OutboxLoop => {
    const loop = startOutboxLoop(db, transports, config);
    console.log(`[outbox] delivering as ${config.owner}: ${channels.join(', ')}`);
    return loop;
  };
}

/** The in-process loop, started once per process; a database not up yet is waited for in the background. */
export function startOutboxInProcess(getDb: () => Promise<Db>): void {
  if (!outboxEnabled()) {
    console.log('[outbox] off (OUTBOX=off): run `npm run worker` elsewhere to deliver.');
    return;
  }
  if (g.__plpOutbox) return;
  const start = prepareOutbox();
  g.__plpOutbox = 'starting';
  const attempt = async (delayMs: number): Promise<void> => {
    try {
      g.__plpOutbox = start(await getDb());
    } catch (err) {
      console.error(`[outbox] waiting for the database (${(err as Error).message}); trying again in ${delayMs / 1000} s`);
      setTimeout(() => void attempt(Math.min(delayMs * 2, 60_000)), delayMs).unref();
    }
  };
  void attempt(5_000);
}

/** Deliver what was just written without waiting for the idle pause (no-op without a loop in this process). */
export function wakeOutbox(): void {
  const loop = g.__plpOutbox;
  if (loop && loop !== 'starting') loop.wake();
}
