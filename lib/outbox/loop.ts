/**
 * The delivery loop (docs/design.md#the-outbox): rounds back to back while there is mail, a short pause when there is
 * none, and a reminder sweep every REMIND_SWEEP_MS. One loop per process (instrumentation.ts, `npm run worker`);
 * several processes may deliver from one PostgreSQL — the lease makes each message go out once. OUTBOX=off skips it.
 */
import 'server-only';
import type { Db } from '@/db/index';
import { backoff } from '@/lib/backoff';
import { deliverOnce, type OutboxConfig, outboxConfig, type Transports, transportsFrom } from './deliver';
import { sweepReminders } from './reminders';

export interface OutboxLoop {
  /** Finish the round in progress, then stop. */
  stop(): Promise<void>;
  /** Cut the idle pause short (a message was just written in this process). */
  wake(): void;
}

export function startOutboxLoop(
  db: Db,
  transports: Transports,
  config: OutboxConfig,
  opts: { log?: Pick<Console, 'error' | 'log'>; clock?: () => Date } = {},
): OutboxLoop {
  const log = opts.log ?? console;
  const clock = opts.clock ?? (() => new Date());
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });
  let lastSweep = 0;
  const run = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (clock().getTime() - lastSweep >= config.remind.sweepMs) {
          lastSweep = clock().getTime();
          await sweepReminders(db, config, clock());
        }
        const results = await deliverOnce(db, transports, config, clock);
        failures = 0;
        if (results.length === 0) await pause(config.idleMs);
      } catch (err) {
        failures += 1;
        log.error(`[outbox] round failed (${failures} in a row):`, (err as Error).message);
        await pause(backoff(failures + 1, { baseMs: Math.max(config.idleMs, 100), maxMs: 60_000 }));
      }
    }
  };
  const done = run();
  return {
    async stop() {
      stopped = true;
      wakeUp?.();
      await done;
      transports.close();
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
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
