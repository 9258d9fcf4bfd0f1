import { spawn } from 'node:child_process';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { type OutboxRow, outbox } from '@/db/schema';
import type { SendResult } from '@/lib/notifications/webhook';
import { outboxConfig, type Transports, transportsFrom } from '@/lib/outbox/deliver';
import { startOutboxLoop } from '@/lib/outbox/loop';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { startHttp, startSmtp } from './support/receivers';
import { seedWorld, type World } from './support/world';

// Several deliverers on one PostgreSQL, and a deliverer SIGKILLed mid-work (no cleanup, like a crash or an OOM kill),
// at points the test observes, never after a fixed time. The lease makes concurrent loops send each message once;
// after a kill, the rows it held are claimed again when their leases expire and each message is delivered once. The
// one exception is named by its own test: a receiver that accepted a message whose "sent" was not yet recorded gets it
// again under the same delivery id (docs/design.md#the-outbox).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// node with tsx's loader in-process (as test/restart.integration.test.ts does), so a SIGKILL hits the deliverer itself.
// Every worker a test starts; one a failed test left running is killed before the next test (it would deliver there).
const spawned = new Set<ReturnType<typeof spawn>>();

function spawnWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'lib/reconciler/worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  child.on('exit', () => spawned.delete(child));
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (/\[outbox\] delivering as/.test(d.toString())) resolve();
    });
    child.on('exit', () => reject(new Error(`worker exited before delivering: ${err}`)));
  });
  return { child, exited, ready };
}

describe.runIf(hasRealPostgres)('outbox deliverers on PostgreSQL', () => {
  let h: DatabaseHandle & { url?: string };
  let w: World;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let http: Awaited<ReturnType<typeof startHttp>>;
  beforeAll(async () => {
    h = await createTestDatabase({ real: true });
    w = await seedWorld(h.db);
    smtp = await startSmtp();
    http = await startHttp();
  });
  afterAll(async () => {
    await Promise.all([smtp?.close(), http?.close()]);
    await h?.close();
  });
  afterEach(async () => {
    const left = [...spawned];
    for (const child of left) child.kill('SIGKILL');
    await Promise.all(left.map((child) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))));
  });
  beforeEach(async () => {
    await h.db.delete(outbox);
    smtp.mails.length = 0;
    http.hits.length = 0;
  });

  async function write(chat: number, mail: number): Promise<string[]> {
    const rows = [
      ...Array.from({ length: chat }, (_, i) => ({
        channel: 'webhook',
        kind: 'case_submitted',
        subject: `chat ${i}`,
        payload: { text: `chat ${i}`, blocks: [] },
      })),
      ...Array.from({ length: mail }, (_, i) => ({
        channel: 'email',
        kind: 'case.submitted',
        userId: w.casey.id,
        recipient: 'casey@portal.example',
        subject: `mail ${i}`,
        payload: { text: `mail ${i}`, html: `<p>mail ${i}</p>` },
      })),
    ];
    return (await h.db.insert(outbox).values(rows).returning({ id: outbox.id })).map((r) => r.id);
  }
  const sent = async () => {
    const [r] = await h.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(eq(outbox.state, 'sent'));
    return r!.n;
  };
  const received = () => [
    ...http.hits.map((x) => x.body.delivery_id),
    ...smtp.mails.map((m) => m.messageId!.replace(/^<([^@]+)@.*>$/, '$1')),
  ];

  // A gate the receivers wait on while they hold a message, released by the test.
  function gate() {
    let open!: () => void;
    const opened = new Promise<void>((r) => {
      open = r;
    });
    return { open, opened };
  }
  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 120_000) => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
      await sleep(10);
    }
  };
  const workerEnv = () => ({
    DATABASE_URL: h.url!,
    OUTBOX_ONLY: '1',
    NOTIFY_WEBHOOK_URL: http.url,
    SMTP_URL: smtp.url,
    OUTBOX_BATCH_SIZE: '5',
    OUTBOX_CONCURRENCY: '2',
    OUTBOX_IDLE_MS: '50',
    // A held send must still be on the wire when the kill comes; the leases it leaves expire 2 × this later.
    OUTBOX_SEND_TIMEOUT_MS: '3000',
    OUTBOX_LEASE_MS: '1000',
    REMIND_SWEEP_MS: '86400000',
  });
  /** Rows alternating e-mail, chat, e-mail…, due in that order, so the first claimed batch starts with one of each. */
  async function writeAlternating(n: number): Promise<{ mail: string[]; chat: string[] }> {
    const base = Date.now() - 60_000;
    const rows = Array.from({ length: 2 * n }, (_, i) =>
      i % 2 === 0
        ? {
            channel: 'email',
            kind: 'case.submitted',
            userId: w.casey.id,
            recipient: 'casey@portal.example',
            subject: `mail ${i}`,
            payload: { text: `mail ${i}`, html: `<p>mail ${i}</p>` },
            nextAttemptAt: new Date(base + i * 10),
          }
        : {
            channel: 'webhook',
            kind: 'case_submitted',
            subject: `chat ${i}`,
            payload: { text: `chat ${i}`, blocks: [] },
            nextAttemptAt: new Date(base + i * 10),
          },
    );
    const got = await h.db.insert(outbox).values(rows).returning({ id: outbox.id, channel: outbox.channel });
    return {
      mail: got.filter((r) => r.channel === 'email').map((r) => r.id),
      chat: got.filter((r) => r.channel === 'webhook').map((r) => r.id),
    };
  }
  const mailIds = () => smtp.mails.map((m) => m.messageId!.replace(/^<([^@]+)@.*>$/, '$1'));
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

  it('a deliverer SIGKILLed with every message undelivered, one e-mail and one chat message on the wire: after a restart each is delivered, kept once by its delivery id', async () => {
    const { mail, chat } = await writeAlternating(10);
    const release = gate();
    const held: string[] = [];
    // The first message of each channel is held by its receiver, unanswered, until the test releases it.
    smtp.hold = async (m) => {
      if (held.some((id) => mail.includes(id))) return;
      held.push(m.messageId!.replace(/^<([^@]+)@.*>$/, '$1'));
      await release.opened;
    };
    http.answer = async (hit) => {
      if (!held.some((id) => chat.includes(id))) {
        held.push(hit.body.delivery_id);
        await release.opened;
      }
      return { status: 200 };
    };
    try {
      const first = spawnWorker(workerEnv());
      await first.ready;
      await until('one e-mail and one chat message held on the wire', () => held.length === 2);
      expect(await sent()).toBe(0); // nothing recorded: every message is undelivered at the kill
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      release.open();
      smtp.hold = undefined;
      http.answer = undefined;
    }

    const again = spawnWorker(workerEnv());
    await again.ready;
    await until('every message recorded as sent', async () => (await sent()) === 20);
    again.child.kill('SIGTERM');
    await again.exited;

    // Kept by delivery id, as the receivers are asked to: each message exactly once.
    const byId = count([...mailIds(), ...http.hits.map((x) => x.body.delivery_id)]);
    expect([...byId.keys()].sort()).toEqual([...mail, ...chat].sort());
    // As they arrived: every message that was not on the wire at the kill arrived once. The two that were had reached
    // their receivers, which acted on them, so they may come again after the restart — under the same id each time.
    const repeated = [...byId.entries()].filter(([, n]) => n > 1);
    expect(
      repeated.every(([id, n]) => held.includes(id) && n === 2),
      JSON.stringify({ repeated, held }),
    ).toBe(true);
    const copies = (id: string) => [
      ...smtp.mails.filter((m) => m.messageId!.startsWith(`<${id}@`)).map((m) => m.messageId),
      ...http.hits.filter((x) => x.body.delivery_id === id).map((x) => x.idempotencyKey),
    ];
    for (const id of held) expect(new Set(copies(id)).size).toBe(1);
  }, 180_000);

  it('the one window left: accepted by the receiver, killed before the outbox recorded it — sent again under the same Message-ID', async () => {
    const { mail } = await writeAlternating(3);
    const locker = new pg.Client({ connectionString: h.url! });
    const watcher = new pg.Client({ connectionString: h.url! });
    await Promise.all([locker.connect(), watcher.connect()]);
    let pinned: string | null = null;
    // The first e-mail's row is locked just before the receiver answers 250, so the deliverer's "sent" waits on it.
    smtp.hold = async (m) => {
      if (pinned) return;
      pinned = m.messageId!.replace(/^<([^@]+)@.*>$/, '$1');
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [pinned]);
    };
    try {
      // One send at a time, so the pinned e-mail is the only message between "accepted" and "recorded" at the kill.
      // A long send timeout: on a loaded machine the receiver's hold (taking the row lock) can outlast a short one, and
      // a send given up before the lock is taken would never wait on it.
      const first = spawnWorker({ ...workerEnv(), OUTBOX_CONCURRENCY: '1', OUTBOX_SEND_TIMEOUT_MS: '20000' });
      await first.ready;
      await until('the deliverer to wait on the locked row after the receiver accepted', async () => {
        if (!pinned) return false;
        // Read on another connection: inside the locker's transaction pg_stat_activity is a snapshot taken at its first
        // read, and would never show the wait that began after it.
        const r = await watcher.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'update \"outbox\"%'",
        );
        return r.rows[0].n >= 1;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      // Its server-side session would otherwise still be waiting, and commit "sent" once the lock goes: end it too, as
      // a crash of the whole machine (or a cut network) would, so the write never lands.
      await watcher.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'update \"outbox\"%'",
      );
    } finally {
      smtp.hold = undefined;
      await locker.query('ROLLBACK').catch(() => undefined);
      await Promise.all([locker.end(), watcher.end()]);
    }

    const again = spawnWorker(workerEnv());
    await again.ready;
    await until('every message recorded as sent', async () => (await sent()) === 6);
    again.child.kill('SIGTERM');
    await again.exited;

    const got = count(mailIds());
    expect([...got.keys()].sort()).toEqual([...mail].sort());
    expect([...got.entries()].filter(([, n]) => n > 1)).toEqual([[pinned, 2]]);
    const copies = smtp.mails.filter((m) => m.messageId!.includes(pinned!));
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
  }, 180_000);

  it('two loops with their own connections never send the same message twice', async () => {
    const ids = await write(150, 50);
    const other = await openDatabase({ url: h.url! });
    const sends = [0, 0];
    // Each loop's first send waits until the other loop has begun one too, so both hold leased work at the same time
    // whatever the scheduling (observed, not timed).
    const began = [gate(), gate()];
    const counted = (i: number, t: Transports): Transports => {
      const send = async (row: OutboxRow, via: (row: OutboxRow) => Promise<SendResult>) => {
        sends[i]! += 1;
        began[i]!.open();
        await Promise.all(began.map((g) => g.opened));
        return via(row);
      };
      return {
        webhook: (row) => send(row, t.webhook!),
        email: (row) => send(row, t.email!),
        close: () => t.close(),
      };
    };
    const env = { NOTIFY_WEBHOOK_URL: http.url, SMTP_URL: smtp.url };
    const cfg = (owner: string) =>
      outboxConfig({}, { owner, batchSize: 4, concurrency: 2, idleMs: 10, remind: { ...outboxConfig({}).remind, sweepMs: 86_400_000 } });
    const loops = [
      startOutboxLoop(h.db, counted(0, transportsFrom(env, 2_000)), cfg('loop-a')),
      startOutboxLoop(other.db, counted(1, transportsFrom(env, 2_000)), cfg('loop-b')),
    ];
    try {
      const until = Date.now() + 90_000;
      while ((await sent()) < ids.length && Date.now() < until) await sleep(50);
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
      await other.close();
    }
    expect(await sent()).toBe(ids.length);
    const got = received();
    expect(got.length).toBe(ids.length); // not one message twice
    expect(new Set(got)).toEqual(new Set(ids));
    expect(sends[0]! + sends[1]!).toBe(ids.length);
    expect(
      sends.every((n) => n > 0),
      `sends per loop: ${sends.join(', ')}`,
    ).toBe(true);
  }, 120_000);
});
