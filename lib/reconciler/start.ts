/**
 * Start the reconciler inside this process (instrumentation.ts calls it when the Next.js server starts): one loop per
 * process, kept on globalThis because Next may load a module more than once
 * (docs/platform-notes.md#modules-loaded-more-than-once). RECONCILER=off skips it.
 */
import 'server-only';
import type { Db } from '@/db/index';
import { fillUnknownClaims } from '@/lib/cases/claims';
import { createEdgeAdapter, edgeProviderName } from '@/lib/cloud';
import { getEdgeLayout } from '@/lib/cloud/layout';
import { loadFlowConfig } from '@/lib/providers/config';
import { reconcilerConfig } from './config';
import { type ReconcilerLoop, startReconcilerLoop } from './loop';

const g = globalThis as unknown as { __plpReconciler?: ReconcilerLoop | 'starting' };

export function reconcilerEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return (env.RECONCILER ?? '').trim().toLowerCase() !== 'off';
}

/** Check the configuration (throws naming the bad setting) and return a starter for a database. */
export function prepareReconciler(env: Record<string, string | undefined> = process.env) {
  const config = reconcilerConfig(env);
  const provider = edgeProviderName(env);
  const layout = getEdgeLayout(env); // EDGE_CONFIG is read and validated here, at start
  const flows = loadFlowConfig(env);
  return async (db: Db): Promise<ReconcilerLoop> => {
    const adapter = await createEdgeAdapter(db, env);
    const loop = startReconcilerLoop({ db, adapter, layout, flows, config });
    console.log(`[reconciler] started as ${config.owner} on the ${provider} edge account`);
    fillUnknownClaims(db).then(
      (n) => n > 0 && console.log(`[reconciler] stored the claimed names of ${n} case${n === 1 ? '' : 's'} that had none`),
      (err: Error) => console.error(`[reconciler] could not store claimed names: ${err.message}`),
    );
    return loop;
  };
}

export async function startReconciler(db: Db, env: Record<string, string | undefined> = process.env): Promise<ReconcilerLoop> {
  return prepareReconciler(env)(db);
}

/**
 * The in-server loop, started once per process. Configuration errors throw at once; a database that is not up yet
 * is waited for in the background (the server serves meanwhile).
 */
export function startReconcilerInProcess(getDb: () => Promise<Db>): void {
  if (!reconcilerEnabled()) {
    console.log('[reconciler] off (RECONCILER=off): run `npm run worker` elsewhere to provision.');
    return;
  }
  if (g.__plpReconciler) return;
  const start = prepareReconciler();
  g.__plpReconciler = 'starting';
  const attempt = async (delayMs: number): Promise<void> => {
    try {
      g.__plpReconciler = await start(await getDb());
    } catch (err) {
      console.error(`[reconciler] waiting for the database (${(err as Error).message}); trying again in ${delayMs / 1000} s`);
      setTimeout(() => void attempt(Math.min(delayMs * 2, 60_000)), delayMs).unref();
    }
  };
  void attempt(5_000);
}
