import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, users, workspaces } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { ACCOUNT_MAX_FAILURES, authenticate } from '@/lib/auth/sign-in';
import { createTestDatabase } from './support/db';

process.env.BCRYPT_ROUNDS = '10';

describe('sign-in with bcrypt hashes', () => {
  let h: DatabaseHandle;
  const now = new Date('2026-11-21T10:00:00Z');

  beforeAll(async () => {
    h = await createTestDatabase();
    const [ws] = await h.db.insert(workspaces).values({ name: 'Acme', slug: 'acme' }).returning({ id: workspaces.id });
    await h.db.insert(users).values([
      { email: 'ada@acme.example', name: 'Ada', role: 'customer_admin', workspaceId: ws!.id, passwordHash: await hashPassword('right-password') },
      { email: 'lock@acme.example', name: 'Lock', role: 'customer_viewer', workspaceId: ws!.id, passwordHash: await hashPassword('right-password') },
      { email: 'off@portal.example', name: 'Off', role: 'csm', disabled: true, passwordHash: await hashPassword('right-password') },
      { email: 'sso@portal.example', name: 'Sso', role: 'engineer' },
    ]);
  });
  afterAll(async () => { await h?.close(); });

  it('stores a bcrypt hash, never the password', async () => {
    const [row] = await h.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, 'ada@acme.example'));
    expect(row?.hash).toMatch(/^\$2[aby]\$10\$/);
    expect(row?.hash).not.toContain('right-password');
  });

  it('accepts the right password, whatever the e-mail case', async () => {
    const r = await authenticate(h.db, { email: ' Ada@ACME.example ', password: 'right-password' }, { sourceIp: '192.0.2.1' }, now);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.user).toMatchObject({ email: 'ada@acme.example', role: 'customer_admin' });
  });

  it('rejects a wrong password and says how many attempts are left', async () => {
    const r = await authenticate(h.db, { email: 'ada@acme.example', password: 'wrong' }, { sourceIp: '192.0.2.1' }, now);
    expect(r).toEqual({ ok: false, code: 'wrong_password', message: 'That password is not right. 4 attempts left before the account is locked for 15 minutes.' });
  });

  it('says when no account uses the e-mail', async () => {
    const r = await authenticate(h.db, { email: 'nobody@acme.example', password: 'x' }, {}, now);
    expect(r).toMatchObject({ ok: false, code: 'unknown_user' });
  });

  it('refuses a disabled account and an SSO-only account', async () => {
    expect(await authenticate(h.db, { email: 'off@portal.example', password: 'right-password' }, {}, now)).toMatchObject({ code: 'disabled' });
    expect(await authenticate(h.db, { email: 'sso@portal.example', password: 'whatever' }, {}, now)).toMatchObject({ code: 'sso_only' });
  });

  it('rejects malformed input without touching the database', async () => {
    expect(await authenticate(h.db, { email: 'not-an-email', password: 'x' }, {}, now)).toEqual({
      ok: false, code: 'invalid', message: 'Enter your e-mail address, like name@company.com.',
    });
    expect(await authenticate(h.db, { email: 'ada@acme.example', password: 'x'.repeat(201) }, {}, now)).toMatchObject({ code: 'invalid' });
  });

  it(`locks the account after ${ACCOUNT_MAX_FAILURES} failures, even for the right password, until the lock expires`, async () => {
    const email = 'lock@acme.example';
    for (let i = 1; i < ACCOUNT_MAX_FAILURES; i++) {
      expect(await authenticate(h.db, { email, password: `bad-${i}` }, {}, now)).toMatchObject({ code: 'wrong_password' });
    }
    const fifth = await authenticate(h.db, { email, password: 'bad-5' }, {}, now);
    expect(fifth).toMatchObject({ code: 'locked' });
    expect(fifth.ok ? '' : fifth.message).toBe('Too many failed sign-ins: this account is locked for 15 more minute(s), until 10:15 UTC. Try again then, or ask an administrator to help.');
    const during = await authenticate(h.db, { email, password: 'right-password' }, {}, new Date(now.getTime() + 5 * 60_000));
    expect(during).toMatchObject({ ok: false, code: 'locked' });
    const after = await authenticate(h.db, { email, password: 'right-password' }, {}, new Date(now.getTime() + 16 * 60_000));
    expect(after.ok).toBe(true);
  });

  it('audits every outcome with the source address', async () => {
    const rows = await h.db.select({ action: auditLog.action, sourceIp: auditLog.sourceIp }).from(auditLog)
      .where(eq(auditLog.actorEmail, 'ada@acme.example'));
    expect(rows).toContainEqual({ action: 'auth.sign_in', sourceIp: '192.0.2.1' });
    expect(rows).toContainEqual({ action: 'auth.sign_in_failed', sourceIp: '192.0.2.1' });
  });
});
