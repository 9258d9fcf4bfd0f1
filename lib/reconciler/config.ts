import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { backoff } from '@/lib/backoff';

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

export const DEFAULT_RECONCILER_CONFIG: Omit<ReconcilerConfig, 'owner'> = {
  batchSize: 20,
  concurrency: 4,
  leaseMs: 120_000,
  idleMs: 1_000,
  pollMs: 2_000,
  waitCustomerMs: 30_000,
  activeRecheckMs: 300_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 300_000,
  maxAttempts: 10,
};

const ENV: Record<keyof typeof DEFAULT_RECONCILER_CONFIG, string> = {
  batchSize: 'RECONCILER_BATCH_SIZE',
  concurrency: 'RECONCILER_CONCURRENCY',
  leaseMs: 'RECONCILER_LEASE_MS',
  idleMs: 'RECONCILER_IDLE_MS',
  pollMs: 'RECONCILER_POLL_MS',
  waitCustomerMs: 'RECONCILER_WAIT_CUSTOMER_MS',
  activeRecheckMs: 'RECONCILER_ACTIVE_RECHECK_MS',
  backoffBaseMs: 'RECONCILER_BACKOFF_BASE_MS',
  backoffMaxMs: 'RECONCILER_BACKOFF_MAX_MS',
  maxAttempts: 'RECONCILER_MAX_ATTEMPTS',
};

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The configuration from the environment; throws naming the variable when one is not a whole number. */
export function reconcilerConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ReconcilerConfig> = {},
): ReconcilerConfig {
  const out = { ...DEFAULT_RECONCILER_CONFIG, owner: newOwnerId() };
  for (const [key, name] of Object.entries(ENV) as [keyof typeof ENV, string][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, not "${raw}".`);
    out[key] = Number(raw);
  }
  if (out.batchSize < 1 || out.concurrency < 1) throw new Error('RECONCILER_BATCH_SIZE and RECONCILER_CONCURRENCY must be at least 1.');
  return { ...out, ...overrides };
}

/** How long the reconciler waits before retrying a case after its n-th failed attempt (with jitter). */
export function backoffMs(attempt: number, config: Pick<ReconcilerConfig, 'backoffBaseMs' | 'backoffMaxMs'>, random = Math.random): number {
  return backoff(attempt, { baseMs: config.backoffBaseMs, maxMs: config.backoffMaxMs, jitter: 'equal', random });
}
