/** The reconciler loop: rounds back to back while there is work, a short pause when there is none. */
import 'server-only';
import { type CaseResult, type ReconcilerDeps, reconcileOnce } from './reconcile';
import { backoff } from '@/lib/backoff';

export interface ReconcilerLoop {
  /** Finish the round in progress, then stop. Leases of cases not yet looked at expire by themselves. */
  stop(): Promise<void>;
  /** Cut the idle pause short (e.g. right after an approval in the same process). */
  wake(): void;
}

export interface LoopOptions {
  /** Called after each round that did something. */
  onRound?: (results: CaseResult[]) => void;
  log?: Pick<Console, 'error' | 'log'>;
}

export function startReconcilerLoop(deps: ReconcilerDeps, opts: LoopOptions = {}): ReconcilerLoop {
  const log = opts.log ?? console;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
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
        const results = await reconcileOnce(deps);
        failures = 0;
        if (results.length > 0) opts.onRound?.(results);
        else await pause(deps.config.idleMs);
      } catch (err) {
        // The database is away, say: keep the process up and try again, slower each time (at most a minute).
        failures += 1;
        log.error(`[reconciler] round failed (${failures} in a row):`, (err as Error).message);
        await pause(backoff(failures + 1, { baseMs: deps.config.idleMs, maxMs: 60_000 }));
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
      wakeUp?.();
    },
  };
}
