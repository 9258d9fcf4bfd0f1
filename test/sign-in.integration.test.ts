import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, users, workspaces } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { ACCOUNT_MAX_FAILURES, ADDRESS_MAX_FAILURES, authenticate } from '@/lib/auth/sign-in';
import { createTestDatabase } from './support/db';

process.env.BCRYPT_ROUNDS = '10';

describe('sign-in with bcrypt hashes', () => {
  let h: DatabaseHandle;
  const now = new Date('2026-11-21T10:00:00Z');

  beforeAll(async () => {
    h = await createTestDatabase();
    const [ws] = await h.db.insert(workspaces).values({ name: 'Acme', slug: 'acme' }).returning({ id: workspaces.id });
    await h.db.insert(users).values([
      {
        email: 'ada@acme.example',
        name: 'Ada',
        role: 'customer_admin',
        workspaceId: ws!.id,
        passwordHash: await hashPassword('right-password'),
      },
      {
        email: 'lock@acme.example',
        name: 'Lock',
        role: 'customer_viewer',
        workspaceId: ws!.id,
        passwordHash: await hashPassword('right-password'),
      },
      { email: 'off@portal.example', name: 'Off', role: 'csm', disabled: true, passwordHash: await hashPassword('right-password') },
      { email: 'sso@portal.example', name: 'Sso', role: 'engineer' },
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

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
    expect(r).toEqual({
      ok: false,
      code: 'wrong_password',
      message: 'That password is not right. 4 attempts left before the account is locked for 15 minutes.',
    });
  });

  it('says when no account uses the e-mail', async () => {
    const r = await authenticate(h.db, { email: 'nobody@acme.example', password: 'x' }, {}, now);
    expect(r).toMatchObject({ ok: false, code: 'unknown_user' });
  });

  it('refuses a disabled account and an SSO-only account', async () => {
    expect(await authenticate(h.db, { email: 'off@portal.example', password: 'right-password' }, {}, now)).toMatchObject({
      code: 'disabled',
    });
    expect(await authenticate(h.db, { email: 'sso@portal.example', password: 'whatever' }, {}, now)).toMatchObject({ code: 'sso_only' });
  });

  it('rejects malformed input without touching the database', async () => {
    expect(await authenticate(h.db, { email: 'not-an-email', password: 'x' }, {}, now)).toEqual({
      ok: false,
      code: 'invalid',
      message: 'Enter your e-mail address, like name@company.com.',
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
    expect(fifth.ok ? '' : fifth.message).toBe(
      'Too many failed sign-ins: this account is locked for 15 more minute(s), until 10:15 UTC. Try again then, or ask an administrator to help.',
    );
    const during = await authenticate(h.db, { email, password: 'right-password' }, {}, new Date(now.getTime() + 5 * 60_000));
    expect(during).toMatchObject({ ok: false, code: 'locked' });
    const after = await authenticate(h.db, { email, password: 'right-password' }, {}, new Date(now.getTime() + 16 * 60_000));
    expect(after.ok).toBe(true);
  });

  it('audits every outcome with the source address', async () => {
    const rows = await h.db
      .select({ action: auditLog.action, sourceIp: auditLog.sourceIp })
      .from(auditLog)
      .where(eq(auditLog.actorEmail, 'ada@acme.example'));
    expect(rows).toContainEqual({ action: 'auth.sign_in', sourceIp: '192.0.2.1' });
    expect(rows).toContainEqual({ action: 'auth.sign_in_failed', sourceIp: '192.0.2.1' });
  });
});

describe('lockout per source address', () => {
  it(`locks an address after ${ADDRESS_MAX_FAILURES} failures across accounts, even for a right password`, async () => {
    const h = await createTestDatabase();
    const [ws] = await h.db.insert(workspaces).values({ name: 'W', slug: 'w' }).returning({ id: workspaces.id });
    await h.db.insert(users).values({
      email: 'ok@w.example',
      name: 'Ok',
      role: 'customer_admin',
      workspaceId: ws!.id,
      passwordHash: await hashPassword('right-password'),
    });
    const now = new Date('2026-11-21T12:00:00Z');
    for (let i = 0; i < ADDRESS_MAX_FAILURES - 1; i++) {
      const r = await authenticate(h.db, { email: `nobody${i}@w.example`, password: 'x' }, { sourceIp: '203.0.113.7' }, now);
      expect(r).toMatchObject({ code: 'unknown_user' });
    }
    const last = await authenticate(h.db, { email: 'nobody-last@w.example', password: 'x' }, { sourceIp: '203.0.113.7' }, now);
    expect(last).toMatchObject({ code: 'locked' });
    expect(last.ok ? '' : last.message).toMatch(/^Too many failed sign-ins: sign-ins from your network are locked/);
    expect(await authenticate(h.db, { email: 'ok@w.example', password: 'right-password' }, { sourceIp: '203.0.113.7' }, now)).toMatchObject(
      { code: 'locked' },
    );
    // Another address is not affected.
    expect((await authenticate(h.db, { email: 'ok@w.example', password: 'right-password' }, { sourceIp: '198.51.100.1' }, now)).ok).toBe(
      true,
    );
    await h.close();
  }, 60_000);
});

describe('session cookies', () => {
  it('are Secure with the __Secure- prefix when the portal is served over HTTPS, HttpOnly and SameSite=Lax always', async () => {
    const { sessionCookie } = await import('@/lib/auth/options');
    const https = sessionCookie('https://privatelink.example.com');
    expect(https.name).toBe('__Secure-next-auth.session-token');
    expect(https.options).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true });
    expect(sessionCookie('http://localhost:3000')).toEqual({
      name: 'next-auth.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false },
    });
  });
});
