import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/index';
import { users } from '@/db/schema';
import type { ReconcilerLoop } from '@/lib/reconciler/loop';
import { caseIn, type Person, type World } from '../support/world';
import { caseRow, customerPart } from './support';

// What `npm start` does at boot, without Next: instrumentation.ts's register() on the embedded default (PGlite in
// DATA_DIR, the sandbox edge account, the demo seed), then an approved case must become active by itself.
const dir = mkdtempSync(path.join(tmpdir(), 'plp-startup-'));
const g = globalThis as unknown as {
  __plpReconciler?: ReconcilerLoop | 'starting';
  __plpDb?: Promise<{ handle: { close(): Promise<void> } }>;
};

describe('server start (instrumentation.ts) on the embedded default', () => {
  let db: Db;
  beforeAll(async () => {
    Object.assign(process.env, {
      NEXT_RUNTIME: 'nodejs',
      DATA_DIR: dir,
      DEMO_PASSWORD: 'startup-Password-1',
      BCRYPT_ROUNDS: '10',
      SANDBOX_DELAY_MS: '200',
      RECONCILER_IDLE_MS: '100',
      RECONCILER_POLL_MS: '100',
    });
    delete process.env.DATABASE_URL;
    delete process.env.EDGE_PROVIDER;
    delete process.env.RECONCILER;
    const { register } = await import('@/instrumentation');
    await register();
    db = await (await import('@/db/index')).getDb();
  }, 60_000);
  afterAll(async () => {
    const loop = g.__plpReconciler;
    if (loop && loop !== 'starting') await loop.stop();
    await (await g.__plpDb)?.handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts one reconciler loop that provisions an approved demo case with no configuration', async () => {
    const until = Date.now() + 10_000;
    while (typeof g.__plpReconciler !== 'object' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(typeof g.__plpReconciler).toBe('object');

    const people = await db.select({ id: users.id, email: users.email, role: users.role, workspaceId: users.workspaceId }).from(users);
    const who = (email: string): Person => ({ ...people.find((p) => p.email === email)! });
    const w = { ada: who('ada@acme.example'), casey: who('casey@portal.example'), erin: who('erin@portal.example') } as unknown as World;
    // The customer's part: Snowflake support authorized the edge account on the account's PrivateLink service.
    await customerPart(db, w.ada, 'snowflake');
    const c = await caseIn(db, w, 'snowflake', 'provisioning');
    const deadline = Date.now() + 30_000;
    while ((await caseRow(db, c.id)).state !== 'active' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await caseRow(db, c.id)).state).toBe('active');

    // A second register() in the same process (Next may load the module twice) does not start a second loop.
    const first = g.__plpReconciler;
    const { register } = await import('@/instrumentation');
    await register();
    expect(g.__plpReconciler).toBe(first);
  }, 60_000);
});
