import { spawn } from 'node:child_process';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { outbox } from '@/db/schema';
import { outboxConfig, type Transports, transportsFrom } from '@/lib/outbox/deliver';
import { startOutboxLoop } from '@/lib/outbox/loop';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { startHttp, startSmtp } from './support/receivers';
import { seedWorld, type World } from './support/world';

// Several deliverers on one PostgreSQL, and a deliverer SIGKILLed mid-work (no cleanup, like a crash or an OOM kill).
// The lease makes concurrent loops send each message once; after a kill, the rows it held are claimed again when
// their leases expire, and every message arrives — a message that was on the wire at the kill may arrive twice, with
// the same delivery id, which the receiver uses to keep it once.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// node with tsx's loader in-process (as test/restart.integration.test.ts does), so a SIGKILL hits the deliverer itself.
function spawnWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'lib/reconciler/worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    // A slowish receiver, so a deliverer is always mid-work when it is killed.
    http = await startHttp(() => ({ status: 200, delayMs: 15 }));
  });
  afterAll(async () => {
    await Promise.all([smtp?.close(), http?.close()]);
    await h?.close();
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

  it('delivers every message exactly once (by delivery id) although the deliverer was SIGKILLed twice mid-delivery', async () => {
    const ids = await write(60, 30);
    const env = {
      DATABASE_URL: h.url!,
      OUTBOX_ONLY: '1',
      NOTIFY_WEBHOOK_URL: http.url,
      SMTP_URL: smtp.url,
      OUTBOX_BATCH_SIZE: '5',
      OUTBOX_CONCURRENCY: '2',
      OUTBOX_IDLE_MS: '50',
      OUTBOX_SEND_TIMEOUT_MS: '500',
      OUTBOX_LEASE_MS: '1000',
      REMIND_SWEEP_MS: '86400000',
    };
    const kills: number[] = [];
    for (let k = 0; k < 2; k++) {
      const before = await sent();
      const p = spawnWorker(env);
      await p.ready;
      // Kill as soon as this deliverer has recorded a delivery (observed progress, not a fixed time).
      const until = Date.now() + 60_000;
      while ((await sent()) === before && Date.now() < until) await sleep(5);
      p.child.kill('SIGKILL');
      await p.exited;
      kills.push((await sent()) - before);
    }
    expect(
      kills.every((n) => n > 0),
      `deliveries recorded before each kill: ${kills.join(', ')}`,
    ).toBe(true);
    expect(await sent()).toBeLessThan(ids.length); // work was left when the last one died
    const final = spawnWorker(env);
    await final.ready;
    const until = Date.now() + 90_000;
    while ((await sent()) < ids.length && Date.now() < until) await sleep(50);
    final.child.kill('SIGTERM');
    await final.exited;

    const states = await h.db.select({ state: outbox.state, n: sql<number>`count(*)::int` }).from(outbox).groupBy(outbox.state);
    expect(states).toEqual([{ state: 'sent', n: ids.length }]);
    // Every message reached its receiver; counted by delivery id, each once.
    const got = received();
    expect(new Set(got)).toEqual(new Set(ids));
    // Repeats are only messages that were on the wire at a kill: at most a batch per kill, same id each time.
    expect(got.length - ids.length).toBeLessThanOrEqual(2 * 5);
  }, 180_000);

  it('two loops with their own connections never send the same message twice', async () => {
    const ids = await write(150, 50);
    const other = await openDatabase({ url: h.url! });
    const sends = [0, 0];
    const counted = (i: number, t: Transports): Transports => ({
      webhook: async (row) => {
        sends[i]! += 1;
        return t.webhook!(row);
      },
      email: async (row) => {
        sends[i]! += 1;
        return t.email!(row);
      },
      close: () => t.close(),
    });
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
