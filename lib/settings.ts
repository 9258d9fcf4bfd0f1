/**
 * The numeric settings the portal reads from the environment, as one zod schema. Every process checks them when it
 * starts (instrumentation.ts, the worker): a bad value stops the start with the variable's name, the rule and what
 * was given, never a silent fallback to the default. An unset or empty variable takes the default. The README's
 * configuration table lists each one.
 */
import { z } from 'zod';
import { ADMISSION_DEFAULTS } from '@/scripts/admission.mjs';

type Env = Record<string, string | undefined>;

/** A whole number in [min, max], `fallback` when unset or empty. */
function whole(fallback: number, min: number, max: number, unit = '') {
  const rule = `must be a whole number${unit} from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
    z
      .string()
      .regex(/^\d+$/, rule)
      .transform(Number)
      .pipe(z.number().min(min, rule).max(max, rule))
      .optional()
      .transform((n) => n ?? fallback),
  );
}

const ms = (fallback: number, min: number, max: number) => whole(fallback, min, max, ' of milliseconds');
const DAY = 86_400_000;

const settingsSchema = z.object({
  DATABASE_POOL_SIZE: whole(10, 1, 200),
  // Requests scripts/server.mjs lets into Next at once, and lets wait beyond those (docs/deploy.md#memory).
  SERVER_CONCURRENCY: whole(ADMISSION_DEFAULTS.concurrency, 1, 1_000),
  SERVER_QUEUE_LENGTH: whole(ADMISSION_DEFAULTS.queueLength, 0, 100_000),
  BCRYPT_ROUNDS: whole(12, 10, 15),
  DEMO_ENDPOINT_LIMIT: whole(0, 0, 100),
  SANDBOX_DELAY_MS: ms(3_000, 0, DAY),
  RECONCILER_BATCH_SIZE: whole(20, 1, 1_000),
  RECONCILER_CONCURRENCY: whole(4, 1, 100),
  RECONCILER_LEASE_MS: ms(120_000, 100, DAY),
  RECONCILER_IDLE_MS: ms(1_000, 0, DAY),
  RECONCILER_POLL_MS: ms(2_000, 0, DAY),
  RECONCILER_WAIT_CUSTOMER_MS: ms(30_000, 0, DAY),
  RECONCILER_ACTIVE_RECHECK_MS: ms(300_000, 0, DAY),
  RECONCILER_BACKOFF_BASE_MS: ms(2_000, 0, DAY),
  RECONCILER_BACKOFF_MAX_MS: ms(300_000, 0, DAY),
  RECONCILER_MAX_ATTEMPTS: whole(10, 1, 1_000),
  // The outbox (docs/design.md#the-outbox): delivery of chat webhooks and e-mail, and reminders.
  OUTBOX_BATCH_SIZE: whole(20, 1, 1_000),
  OUTBOX_CONCURRENCY: whole(4, 1, 100),
  OUTBOX_LEASE_MS: ms(60_000, 100, DAY),
  OUTBOX_IDLE_MS: ms(1_000, 0, DAY),
  OUTBOX_MAX_ATTEMPTS: whole(8, 1, 100),
  OUTBOX_BACKOFF_BASE_MS: ms(2_000, 0, DAY),
  OUTBOX_BACKOFF_MAX_MS: ms(3_600_000, 0, DAY),
  OUTBOX_SEND_TIMEOUT_MS: ms(10_000, 100, 600_000),
  REMIND_CUSTOMER_AFTER_MS: ms(DAY, 60_000, 30 * DAY),
  REMIND_CUSTOMER_EVERY_MS: ms(3 * DAY, 60_000, 30 * DAY),
  REMIND_STAFF_AFTER_MS: ms(DAY, 60_000, 30 * DAY),
  REMIND_STAFF_EVERY_MS: ms(DAY, 60_000, 30 * DAY),
  REMIND_SWEEP_MS: ms(60_000, 0, DAY),
  AWS_MAX_ATTEMPTS: whole(3, 1, 20),
  AWS_CONNECT_TIMEOUT_MS: ms(3_000, 100, 600_000),
  AWS_REQUEST_TIMEOUT_MS: ms(15_000, 100, 600_000),
  // The public API's per-token rate limit (docs/design.md#the-public-api): requests per fixed window.
  API_RATE_LIMIT: whole(120, 1, 100_000),
  API_RATE_WINDOW_MS: ms(60_000, 1_000, DAY),
});

export type Settings = z.output<typeof settingsSchema>;

/** The settings from the environment; throws one error naming every bad variable with its rule and its value. */
export function readSettings(env: Env = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const name = String(i.path[0]);
    return `${name} ${i.message}, not "${env[name]?.trim()}"`;
  });
  throw new Error(`Bad setting${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}.`);
}
