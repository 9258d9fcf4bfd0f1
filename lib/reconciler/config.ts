import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { backoff } from '@/lib/backoff';
import { readSettings } from '@/lib/settings';

/** How the reconciler paces itself. Every value has an environment variable (see reconcilerConfig) and a default. */
export interface ReconcilerConfig {
  /** This reconciler's name in cases.lease_owner: host, process and a random suffix. */
  owner: string;
  /** Cases claimed per round, and worked on at once. */
  batchSize: number;
  concurrency: number;
  /** How long a claim holds a case. Longer than the slowest round of AWS calls (SDK timeouts × attempts). */
  leaseMs: number;
  /** Pause when nothing is due. */
  idleMs: number;
  /** Next look while AWS is changing something (pending → available, deleting). */
  pollMs: number;
  /** Next look while the customer must act (their answer also wakes the case at once). */
  waitCustomerMs: number;
  /** Drift and usage checks of active endpoints. */
  activeRecheckMs: number;
  /** Retries of throttling, 5xx and timeouts: exponential from base to max, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Retryable failures in a row after which a provisioning case fails (an engineer can retry it). */
  maxAttempts: number;
}

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The configuration from the environment (lib/settings.ts: throws naming a bad variable). */
export function reconcilerConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ReconcilerConfig> = {},
): ReconcilerConfig {
  const s = readSettings(env);
  return {
    owner: newOwnerId(),
    batchSize: s.RECONCILER_BATCH_SIZE,
    concurrency: s.RECONCILER_CONCURRENCY,
    leaseMs: s.RECONCILER_LEASE_MS,
    idleMs: s.RECONCILER_IDLE_MS,
    pollMs: s.RECONCILER_POLL_MS,
    waitCustomerMs: s.RECONCILER_WAIT_CUSTOMER_MS,
    activeRecheckMs: s.RECONCILER_ACTIVE_RECHECK_MS,
    backoffBaseMs: s.RECONCILER_BACKOFF_BASE_MS,
    backoffMaxMs: s.RECONCILER_BACKOFF_MAX_MS,
    maxAttempts: s.RECONCILER_MAX_ATTEMPTS,
    ...overrides,
  };
}

/** How long the reconciler waits before retrying a case after its n-th failed attempt (with jitter). */
export function backoffMs(attempt: number, config: Pick<ReconcilerConfig, 'backoffBaseMs' | 'backoffMaxMs'>, random = Math.random): number {
  return backoff(attempt, { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs, jitter: 'equal', random });
}
