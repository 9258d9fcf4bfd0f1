import type { ChatMessage } from './messages';
import { backoff } from '@/lib/backoff';
import { readSettings } from '@/lib/settings';

/**
 * Chat webhook delivery (docs/program-rules.md#chat-notifications): an in-process, fire-and-forget queue. `enqueue`
 * returns at once; deliveries run in the background with retries (exponential backoff with jitter, Retry-After
 * honoured) and never throw into the request that queued them. Best effort by design: no table backs it, so messages
 * still queued when the process stops are lost (the in-app notifications, written in the transaction, are not).
 *
 * Settings (read when a message is queued, so a change takes effect without a restart):
 *   NOTIFY_WEBHOOK_URL           where to POST (Slack-compatible incoming webhook); unset = chat notifications off
 *   NOTIFY_WEBHOOK_MAX_ATTEMPTS  attempts per message, 1–20 (default 6)
 *   NOTIFY_WEBHOOK_BACKOFF_MS    first retry delay, doubled each time, capped at 60 s (default 1000)
 *   NOTIFY_WEBHOOK_TIMEOUT_MS    per-attempt timeout (default 5000)
 */

export interface WebhookConfig {
  url: string;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

const MAX_QUEUED = 1_000; // beyond this the oldest waiting message is dropped: memory stays bounded if the receiver is down
const CONCURRENCY = 4;
const MAX_DELAY_MS = 60_000;

/** The webhook settings from the environment, or null when chat notifications are off (or the URL is unusable). */
export function webhookConfig(env: Record<string, string | undefined> = process.env): WebhookConfig | null {
  const raw = env.NOTIFY_WEBHOOK_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    warnOnce('NOTIFY_WEBHOOK_URL is not a URL: chat notifications are off.');
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    warnOnce('NOTIFY_WEBHOOK_URL must start with https:// (or http://): chat notifications are off.');
    return null;
  }
  const s = readSettings(env);
  return {
    url: url.toString(),
    maxAttempts: s.NOTIFY_WEBHOOK_MAX_ATTEMPTS,
    backoffMs: s.NOTIFY_WEBHOOK_BACKOFF_MS,
    timeoutMs: s.NOTIFY_WEBHOOK_TIMEOUT_MS,
  };
}

interface Job {
  message: ChatMessage;
  config: WebhookConfig;
  label: string;
}

interface QueueState {
  waiting: Job[];
  running: Set<Promise<void>>;
  warned: Set<string>;
  delivered: number;
  failed: number;
  dropped: number;
}

// On globalThis: Next may load this module more than once per process
// (docs/platform-notes.md#modules-loaded-more-than-once), and there must be one queue.
const g = globalThis as unknown as { __plpWebhookQueue?: QueueState };
g.__plpWebhookQueue ??= { waiting: [], running: new Set(), warned: new Set(), delivered: 0, failed: 0, dropped: 0 };
const state: QueueState = g.__plpWebhookQueue;

function warnOnce(message: string) {
  if (state.warned.has(message)) return;
  state.warned.add(message);
  console.warn(`[notify] ${message}`);
}

/**
 * Queue a chat message; returns at once (false when chat notifications are off). `label` names the message in logs —
 * the URL never appears there (a Slack webhook URL is a secret).
 */
export function enqueueWebhook(message: ChatMessage, label = 'message', config: WebhookConfig | null = webhookConfig()): boolean {
  if (!config) return false;
  if (state.waiting.length >= MAX_QUEUED) {
    const dropped = state.waiting.shift();
    state.dropped += 1;
    console.warn(`[notify] webhook queue full (${MAX_QUEUED}): dropped ${dropped?.label}`);
  }
  state.waiting.push({ message, config, label });
  // Start delivering on a later turn of the event loop: the caller's request carries on without paying even for
  // setting up the first fetch.
  setImmediate(pump);
  return true;
}

function pump() {
  while (state.running.size < CONCURRENCY && state.waiting.length > 0) {
    const job = state.waiting.shift()!;
    const p: Promise<void> = deliver(job)
      .catch((err) => {
        console.error(`[notify] webhook ${job.label}: unexpected error`, err);
      })
      .finally(() => {
        state.running.delete(p);
        pump();
      });
    state.running.add(p);
  }
}

/** Delay before attempt n+1, with jitter so that many retries do not arrive together. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return backoff(attempt, { baseMs, maxMs: MAX_DELAY_MS, jitter: 'equal', random });
}

function retryAfterMs(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  const secs = Number(h);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(h) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_DELAY_MS) : null;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });

// 408 (timeout), 425, 429 (rate limited) and 5xx are worth another try; other 4xx mean the message or URL is wrong.
const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

async function deliver(job: Job): Promise<void> {
  const { config } = job;
  const body = JSON.stringify(job.message);
  let last = '';
  for (let attempt = 1; attempt <= config.maxAttempts; attempt++) {
    let wait: number | null = null;
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      await res.body?.cancel().catch(() => {}); // the answer's body is not needed; free the connection
      if (res.ok) {
        state.delivered += 1;
        if (attempt > 1) console.info(`[notify] webhook ${job.label}: delivered on attempt ${attempt}`);
        return;
      }
      last = `HTTP ${res.status}`;
      if (!retryable(res.status)) break;
      wait = retryAfterMs(res);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      last = e.name === 'TimeoutError' ? `no answer within ${config.timeoutMs} ms` : (e.cause?.code ?? e.name);
    }
    if (attempt < config.maxAttempts) await sleep(wait ?? backoffDelay(attempt, config.backoffMs));
  }
  state.failed += 1;
  console.error(`[notify] webhook ${job.label}: not delivered (${last}); giving up.`);
}

/** Resolves when every queued message has been delivered or given up (tests; a graceful shutdown). */
export async function flushWebhooks(): Promise<void> {
  while (state.running.size > 0 || state.waiting.length > 0) {
    if (state.running.size === 0) pump();
    await Promise.allSettled([...state.running]);
  }
}
