import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { notifyCaseTransition } from '@/lib/notifications/notify';
import { enqueueWebhook, flushWebhooks, webhookConfig } from '@/lib/notifications/webhook';
import { createTestDatabase } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';

// A local chat-webhook receiver on 127.0.0.1 whose answers a test scripts (status codes, delays).
interface Hit {
  at: number;
  body: { text: string; blocks: unknown[] };
  contentType: string | undefined;
}
let server: Server;
let url: string;
let hits: Hit[] = [];
type Step = { status: number; delayMs?: number; headers?: Record<string, string> };
let script: Step[] = [];
// Or, per message: the answer to the n-th attempt (1-based) at a message with that text.
let byMessage: ((text: string, attempt: number) => Step) | null = null;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as Hit['body'];
      hits.push({ at: Date.now(), body, contentType: req.headers['content-type'] });
      const attempt = hits.filter((h) => h.body.text === body.text).length;
      const step = byMessage?.(body.text, attempt) ?? script.shift() ?? { status: 200 };
      setTimeout(() => {
        res.writeHead(step.status, step.headers).end(step.status < 300 ? 'ok' : 'no');
      }, step.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/chat`;
  process.env.NOTIFY_WEBHOOK_URL = url;
  process.env.NOTIFY_WEBHOOK_BACKOFF_MS = '40';
  process.env.NOTIFY_WEBHOOK_MAX_ATTEMPTS = '4';
  process.env.NOTIFY_WEBHOOK_TIMEOUT_MS = '300';
});
afterEach(async () => {
  await flushWebhooks();
  hits = [];
  script = [];
  byMessage = null;
});
afterAll(async () => {
  for (const k of ['NOTIFY_WEBHOOK_URL', 'NOTIFY_WEBHOOK_BACKOFF_MS', 'NOTIFY_WEBHOOK_MAX_ATTEMPTS', 'NOTIFY_WEBHOOK_TIMEOUT_MS'])
    delete process.env[k];
  await new Promise((resolve) => server.close(resolve));
});

const msg = (text: string) => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

describe('chat webhook delivery', () => {
  it('retries with growing delays when the receiver fails, until it accepts', async () => {
    script = [{ status: 500 }, { status: 502 }, { status: 200 }];
    expect(enqueueWebhook(msg('hello'))).toBe(true);
    await flushWebhooks();
    expect(hits.map((h) => h.body.text)).toEqual(['hello', 'hello', 'hello']);
    expect(hits[0]!.contentType).toBe('application/json');
    const gaps = [hits[1]!.at - hits[0]!.at, hits[2]!.at - hits[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(20); // 40 ms base, jittered to at least half
    expect(gaps[1]).toBeGreaterThanOrEqual(40); // doubled
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }];
    enqueueWebhook(msg('slow down'));
    await flushWebhooks();
    expect(hits).toHaveLength(2);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries after a timeout, and gives up after the last attempt', async () => {
    script = [{ status: 200, delayMs: 600 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
    enqueueWebhook(msg('never'));
    await flushWebhooks();
    expect(hits).toHaveLength(4); // NOTIFY_WEBHOOK_MAX_ATTEMPTS
  });

  it('does not retry a message the receiver refuses as malformed (4xx)', async () => {
    script = [{ status: 400 }, { status: 200 }];
    enqueueWebhook(msg('bad'));
    await flushWebhooks();
    expect(hits).toHaveLength(1);
  });

  it('is off without NOTIFY_WEBHOOK_URL, and refuses a URL that is not http(s)', () => {
    expect(webhookConfig({})).toBeNull();
    expect(webhookConfig({ NOTIFY_WEBHOOK_URL: 'ftp://x.example/hook' })).toBeNull();
    expect(webhookConfig({ NOTIFY_WEBHOOK_URL: url })).toMatchObject({ maxAttempts: 6, backoffMs: 1000, timeoutMs: 5000 });
    expect(enqueueWebhook(msg('nowhere'), 'x', null)).toBe(false);
  });
});

describe('case transitions on the chat webhook', () => {
  let h: DatabaseHandle;
  let w: World;
  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts the new case, the approval needed and the failure after commit, with retries, never blocking the caller', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    await flushWebhooks(); // the case service itself announced the submission: start from a clean receiver
    hits = [];
    // The receiver fails the first two attempts at the new-case message, the first slowly.
    byMessage = (text, attempt) =>
      text.includes('New PrivateLink case') && attempt <= 2
        ? { status: attempt === 1 ? 500 : 503, delayMs: attempt === 1 ? 150 : 0 }
        : { status: 200 };
    const notices = [
      { to: 'submitted', event: 'submit', actor: w.ada, from: 'draft', headline: 'New PrivateLink case' },
      { to: 'pending_approval', event: 'request_provisioning', actor: w.casey, from: 'ready_to_provision', headline: 'Approval needed' },
      { to: 'failed', event: 'fail', actor: 'reconciler', from: 'provisioning', headline: 'Provisioning failed' },
      { to: 'provisioning', event: 'approve', actor: w.erin, from: 'pending_approval', headline: 'never posted' }, // not a chat event
    ] as const;
    for (const n of notices) {
      const afterCommit = await h.db.transaction((tx) =>
        notifyCaseTransition(tx, {
          caseRow: { ...c, lastError: n.to === 'failed' ? 'Cluster not found' : null },
          from: n.from,
          to: n.to,
          event: n.event,
          actor: n.actor,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hits.filter((x) => x.body.text.includes(n.headline))).toEqual([]); // nothing is sent before the commit
      const started = performance.now();
      afterCommit();
      afterCommit(); // calling it twice queues once
      expect(performance.now() - started).toBeLessThan(20); // returns at once, whatever the receiver does
    }
    await flushWebhooks();
    const texts = hits.map((x) => x.body.text);
    const ref = `PL-${c.number}`;
    expect(new Set(texts)).toEqual(
      new Set([
        `:inbox_tray: New PrivateLink case ${ref}: Redshift in us-east-1 for Acme`,
        `:raised_hand: Approval needed for ${ref}: Redshift in us-east-1 for Acme`,
        `:rotating_light: Provisioning failed for ${ref}: Redshift in us-east-1 for Acme`,
      ]),
    );
    expect(texts.filter((t) => t.includes('New PrivateLink case'))).toHaveLength(3); // two failures, then delivered
    expect(hits).toHaveLength(5);
    const failed = hits.find((x) => x.body.text.includes('failed'))!;
    expect(JSON.stringify(failed.body.blocks)).toContain(`/cases/${c.id}|${ref}>`);
    expect(JSON.stringify(failed.body.blocks)).toContain('Cluster not found');
  });

  it('sends nothing for a transition whose transaction rolls back', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'submitted');
    await flushWebhooks();
    hits = [];
    let afterCommit: (() => void) | null = null;
    await h.db
      .transaction(async (tx) => {
        afterCommit = await notifyCaseTransition(tx, { caseRow: c, from: 'draft', to: 'submitted', event: 'submit', actor: w.ada });
        tx.rollback();
      })
      .catch(() => {});
    expect(afterCommit).not.toBeNull(); // the caller holds it, but only calls it after a commit
    await flushWebhooks();
    expect(hits).toEqual([]);
  });
});
