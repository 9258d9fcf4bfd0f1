import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, users } from '@/db/schema';
import { changeRole, setDisabled } from '@/lib/admin/users';
import { endSessions, sessionAccount, signOutEverywhere } from '@/lib/auth/session-account';
import { createTestDatabase } from './support/db';
import { seedWorld, type World } from './support/world';

// Session tokens carry the account's session generation; every change that must end sessions moves it on, and a
// token of an older generation is refused on its next request (pages, actions, route handlers, /api/auth/session).

let h: DatabaseHandle;
let w: World;
const ctx = { requestId: 'req-session-1', sourceIp: '192.0.2.8' };

beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db);
});
afterAll(async () => {
  await h?.close();
});

/** The claims a token issued right now would carry. */
async function issue(userId: string) {
  const [row] = await h.db.select({ gen: users.sessionGeneration }).from(users).where(eq(users.id, userId));
  return { uid: userId, gen: row!.gen };
}

describe('session generation', () => {
  it('accepts a current token and refuses one without a generation or of an unknown user', async () => {
    const token = await issue(w.victor.id);
    expect(await sessionAccount(h.db, token)).toMatchObject({ id: w.victor.id, email: 'victor@acme.example', role: 'customer_viewer' });
    expect(await sessionAccount(h.db, { uid: w.victor.id })).toBeNull();
    expect(await sessionAccount(h.db, { uid: '00000000-0000-4000-8000-000000000000', gen: 0 })).toBeNull();
    expect(await sessionAccount(h.db, null)).toBeNull();
  });

  it('refuses a token once its account signed out, and a stale token cannot end the newer session', async () => {
    const old = await issue(w.casey.id);
    expect(await endSessions(h.db, w.casey.id, old.gen)).toBe(true);
    expect(await sessionAccount(h.db, old)).toBeNull();
    const fresh = await issue(w.casey.id);
    expect(fresh.gen).toBe(old.gen + 1);
    expect(await endSessions(h.db, w.casey.id, old.gen)).toBe(false);
    expect(await sessionAccount(h.db, fresh)).not.toBeNull();
  });

  it('refuses tokens issued before a disable, also after re-enabling', async () => {
    const before = await issue(w.grace.id);
    await setDisabled(h.db, w.alex, { userId: w.grace.id, disabled: true }, ctx);
    expect(await sessionAccount(h.db, before)).toBeNull();
    await setDisabled(h.db, w.alex, { userId: w.grace.id, disabled: false }, ctx);
    expect(await sessionAccount(h.db, before)).toBeNull();
    expect(await sessionAccount(h.db, await issue(w.grace.id))).not.toBeNull();
  });

  it('refuses tokens issued before a role change', async () => {
    const before = await issue(w.frank.id);
    await changeRole(h.db, w.alex, { userId: w.frank.id, role: 'csm' }, ctx);
    expect(await sessionAccount(h.db, before)).toBeNull();
    expect(await sessionAccount(h.db, await issue(w.frank.id))).toMatchObject({ role: 'csm' });
  });

  it('“sign out everywhere” ends every session of the account and audits it with request id and address', async () => {
    const one = await issue(w.erin.id);
    const erin = (await sessionAccount(h.db, one))!;
    await signOutEverywhere(h.db, erin, ctx);
    expect(await sessionAccount(h.db, one)).toBeNull();
    const [row] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_out_everywhere'));
    expect(row).toMatchObject({
      actorEmail: 'erin@portal.example',
      targetId: w.erin.id,
      requestId: 'req-session-1',
      sourceIp: '192.0.2.8',
    });
  });
});
