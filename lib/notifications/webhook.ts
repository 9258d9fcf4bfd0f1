import { backoff } from '@/lib/backoff';

/**
 * The chat webhook as a transport (docs/design.md#the-outbox): one POST of one outbox row, classified so the delivery
 * loop knows whether to retry. Nothing is queued here: the outbox table is the queue, so nothing is lost on exit.
 *
 *   NOTIFY_WEBHOOK_URL  where to POST (Slack-compatible incoming webhook); unset = chat messages are kept in the outbox
 *                       (held) and shown to staff on /outbox
 */

/** The webhook URL from the environment, or null when chat delivery is off (or the URL is unusable). */
export function webhookUrl(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.NOTIFY_WEBHOOK_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('NOTIFY_WEBHOOK_URL is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('NOTIFY_WEBHOOK_URL must start with https:// (or http://).');
  return url.toString();
}

/** What one attempt came to: sent, worth another try (maybe after `retryAfterMs`), or refused for good. */
export type SendResult = { ok: true } | { ok: false; retry: boolean; reason: string; retryAfterMs?: number | null };

/** Delay before attempt n+1 (doubling from `baseMs`, at most `maxMs`), with jitter so retries do not arrive together. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random, maxMs = 60_000): number {
  return backoff(attempt, { baseMs, maxMs, jitter: 'equal', random });
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const secs = Number(header);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

// 408 (timeout), 425, 429 (rate limited) and 5xx are worth another try; other 4xx mean the message or URL is wrong.
const retryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * POST one chat message. `deliveryId` goes in the body (`delivery_id`) and the `Idempotency-Key` header, so a receiver
 * can drop a message it already has. The URL never appears in a result or a log (a Slack webhook URL is a secret).
 */
export async function postWebhook(
  url: string,
  message: Record<string, unknown>,
  deliveryId: string,
  timeoutMs: number,
): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': deliveryId },
      body: JSON.stringify({ ...message, delivery_id: deliveryId }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await res.body?.cancel().catch(() => {}); // the answer's body is not needed; free the connection
    if (res.ok) return { ok: true };
    return {
      ok: false,
      retry: retryable(res.status),
      reason: `HTTP ${res.status}`,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, retry: true, reason: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.name) };
  }
}
