/**
 * A loop of rounds, shared by the reconciler and the outbox: rounds back to back while a round finds work, a pause
 * of `idleMs` when it finds none, and after a failed round a growing pause (`lib/backoff.ts`, at most a minute) so a
 * database that is away does not spin the process. `wake()` cuts a pause short; a wake that comes during a round is
 * remembered, so work written meanwhile is not left for the next idle pause.
 */
import { backoff } from '@/lib/backoff';

export interface RoundLoop {
  /** Finish the round in progress, then stop. */
  stop(): Promise<void>;
  /** Cut the idle pause short (work was just written in this process). */
  wake(): void;
}

export interface RoundLoopOptions {
  /** Names the loop in its log lines: `[name] round failed …`. */
  name: string;
  idleMs: number;
  /** One round; resolves to whether it found work (then the next round starts at once). */
  round: () => Promise<boolean>;
  log?: Pick<Console, 'error'>;
}

export function startRoundLoop({ name, idleMs, round, log = console }: RoundLoopOptions): RoundLoop {
  let stopped = false;
  let woken = false;
  let wakeUp: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
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
  const run = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const busy = await round();
        failures = 0;
        if (!busy) await pause(idleMs);
      } catch (err) {
        failures += 1;
        log.error(`[${name}] round failed (${failures} in a row):`, (err as Error).message);
        await pause(backoff(failures + 1, { baseMs: Math.max(idleMs, 100), maxMs: 60_000 }));
      }
    }
  };
  const done = run();
  return {
    async stop() {
      stopped = true;
      wakeUp?.();
      await done;
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
  };
}
