import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, users, workspaces } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { unlockSignIn } from '@/lib/admin/users';
import { ACCOUNT_MAX_FAILURES, ADDRESS_MAX_FAILURES, authenticate, PAIR_MAX_FAILURES } from '@/lib/auth/sign-in';
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

  const NO_MATCH =
    'That e-mail address and password do not match an account. Check both, or ask your workspace administrator to invite you. 4 attempts left before sign-ins with this e-mail address from your network pause for 15 minutes.';

  it('rejects a wrong password and says how many attempts are left', async () => {
    const r = await authenticate(h.db, { email: 'ada@acme.example', password: 'wrong' }, { sourceIp: '192.0.2.1' }, now);
    expect(r).toEqual({ ok: false, code: 'wrong_password', message: NO_MATCH });
  });

  it('answers an unknown e-mail and an account without a password exactly like a wrong password', async () => {
    const unknown = await authenticate(h.db, { email: 'nobody@acme.example', password: 'x' }, { sourceIp: '192.0.2.1' }, now);
    expect(unknown).toEqual({ ok: false, code: 'unknown_user', message: NO_MATCH });
    const sso = await authenticate(h.db, { email: 'sso@portal.example', password: 'whatever' }, { sourceIp: '192.0.2.1' }, now);
    expect(sso).toEqual({ ok: false, code: 'sso_only', message: NO_MATCH });
  });

  it('says an account is disabled only to someone who knows its password', async () => {
    expect(await authenticate(h.db, { email: 'off@portal.example', password: 'right-password' }, {}, now)).toEqual({
      ok: false,
      code: 'disabled',
      message: 'This account is disabled. Ask an administrator to re-enable it.',
    });
    expect(await authenticate(h.db, { email: 'off@portal.example', password: 'wrong' }, {}, now)).toMatchObject({
      code: 'wrong_password',
      message: expect.stringContaining('do not match an account'),
    });
  });

  it('rejects malformed input without touching the database', async () => {
    expect(await authenticate(h.db, { email: 'not-an-email', password: 'x' }, {}, now)).toEqual({
      ok: false,
      code: 'invalid',
      message: 'Enter your e-mail address, like name@company.com.',
    });
    expect(await authenticate(h.db, { email: 'ada@acme.example', password: 'x'.repeat(201) }, {}, now)).toMatchObject({ code: 'invalid' });
  });

  it(`locks the e-mail from one address after ${PAIR_MAX_FAILURES} failures, even for the right password, until the lock expires; other addresses still sign in`, async () => {
    const email = 'lock@acme.example';
    const guesser = { sourceIp: '203.0.113.50' };
    for (let i = 1; i < PAIR_MAX_FAILURES; i++) {
      expect(await authenticate(h.db, { email, password: `bad-${i}` }, guesser, now)).toMatchObject({ code: 'wrong_password' });
    }
    const fifth = await authenticate(h.db, { email, password: 'bad-5' }, guesser, now);
    expect(fifth).toMatchObject({ code: 'locked' });
    expect(fifth.ok ? '' : fifth.message).toBe(
      'Too many failed sign-ins: sign-ins with this e-mail address from your network are locked for 15 more minute(s), until 10:15 UTC. Try again then, or ask an administrator to help.',
    );
    const during = await authenticate(h.db, { email, password: 'right-password' }, guesser, new Date(now.getTime() + 5 * 60_000));
    expect(during).toMatchObject({ ok: false, code: 'locked' });
    // The owner, elsewhere, is not locked out by the guesser.
    expect((await authenticate(h.db, { email, password: 'right-password' }, { sourceIp: '192.0.2.99' }, now)).ok).toBe(true);
    const after = await authenticate(h.db, { email, password: 'right-password' }, guesser, new Date(now.getTime() + 16 * 60_000));
    expect(after.ok).toBe(true);
  });

  it(`locks the e-mail everywhere after ${ACCOUNT_MAX_FAILURES} failures from many addresses, the same for an unknown e-mail`, async () => {
    for (const email of ['ada@acme.example', 'ghost@acme.example']) {
      let last: Awaited<ReturnType<typeof authenticate>> | null = null;
      for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) {
        last = await authenticate(h.db, { email, password: 'bad' }, { sourceIp: `198.18.${email.length}.${i + 1}` }, now);
      }
      expect(last, email).toMatchObject({ ok: false, code: 'locked' });
      expect(last!.ok ? '' : last!.message, email).toBe(
        'Too many failed sign-ins: sign-ins with this e-mail address are locked for 15 more minute(s), until 10:15 UTC. Try again then, or ask an administrator to help.',
      );
      const fresh = await authenticate(h.db, { email, password: 'right-password' }, { sourceIp: '192.0.2.200' }, now);
      expect(fresh, email).toMatchObject({ ok: false, code: 'locked' });
    }
  });

  it('an administrator lifts an account’s locks, audited, and the owner signs in again', async () => {
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'root@portal.example', name: 'Root', role: 'admin' })
      .returning({ id: users.id, email: users.email, role: users.role });
    const [ada] = await h.db.select({ id: users.id }).from(users).where(eq(users.email, 'ada@acme.example'));
    const r = await unlockSignIn(h.db, admin!, { userId: ada!.id }, { requestId: 'req-unlock', sourceIp: '192.0.2.5' });
    expect(r.cleared).toBeGreaterThan(0);
    const [row] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.unlock'));
    expect(row).toMatchObject({ actorEmail: 'root@portal.example', targetId: ada!.id, requestId: 'req-unlock', sourceIp: '192.0.2.5' });
    expect((await authenticate(h.db, { email: 'ada@acme.example', password: 'right-password' }, { sourceIp: '192.0.2.200' }, now)).ok).toBe(
      true,
    );
    expect((await unlockSignIn(h.db, admin!, { userId: ada!.id })).cleared).toBe(0);
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
