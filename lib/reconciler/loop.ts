/** The reconciler loop: rounds back to back while there is work, a short pause when there is none. */
import 'server-only';
import { type CaseResult, type ReconcilerDeps, reconcileOnce } from './reconcile';
import { type RoundLoop, startRoundLoop } from '@/lib/rounds';

/** Finish the round in progress, then stop (leases of cases not yet looked at expire by themselves); or wake it. */
export type ReconcilerLoop = RoundLoop;

export interface LoopOptions {
  /** Called after each round that did something. */
  onRound?: (results: CaseResult[]) => void;
  log?: Pick<Console, 'error' | 'log'>;
}

export function startReconcilerLoop(deps: ReconcilerDeps, opts: LoopOptions = {}): ReconcilerLoop {
  // A failed round (the database is away, say) keeps the process up and tries again, slower each time.
  return startRoundLoop({
    name: 'reconciler',
    idleMs: deps.config.idleMs,
    log: opts.log,
    round: async () => {
      const results = await reconcileOnce(deps);
      if (results.length > 0) opts.onRound?.(results);
      return results.length > 0;
    },
  });
}
