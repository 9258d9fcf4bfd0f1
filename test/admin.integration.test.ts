import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { listUsers } from '@/db/queries/users';
import { auditLog, users, workspaces } from '@/db/schema';
import { createUser, changeRole, setDisabled } from '@/lib/admin/users';
import { createWorkspace } from '@/lib/admin/workspaces';
import { slugify } from '@/lib/admin/schemas';
import { authenticate } from '@/lib/auth/sign-in';
import { AppError } from '@/lib/errors';
import { limitOverrideSchema, setWorkspaceLimits } from '@/lib/limits';
import { createTestDatabase } from './support/db';
import { seedWorld, type World } from './support/world';

process.env.BCRYPT_ROUNDS = '10';

let h: DatabaseHandle;
let w: World;
const ctx = { requestId: 'req-admin-1', sourceIp: '192.0.2.7' };

beforeAll(async () => {
  h = await createTestDatabase();
  w = await seedWorld(h.db);
});
afterAll(async () => {
  await h?.close();
});

async function refused(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
const auditCount = async () => (await h.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n;
const lastAudit = async () => (await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

describe('workspaces', () => {
  it('creates a workspace with the beta default limits, a derived short name and an audit row', async () => {
    const ws = await createWorkspace(h.db, w.alex, { name: 'Initech Labs (EU)' }, ctx);
    expect(ws).toMatchObject({ name: 'Initech Labs (EU)', slug: 'initech-labs-eu', endpointLimit: 2, monthlyTransferLimitGib: 300 });
    const a = await lastAudit();
    expect(a).toMatchObject({
      action: 'workspace.create',
      actorEmail: 'alex@portal.example',
      actorRole: 'admin',
      targetId: ws.id,
      workspaceId: ws.id,
      requestId: 'req-admin-1',
      sourceIp: '192.0.2.7',
    });
    expect(a.after).toMatchObject({ name: 'Initech Labs (EU)', slug: 'initech-labs-eu' });
  });

  it('refuses a duplicate name whatever its case, naming the field, and writes nothing', async () => {
    const before = await auditCount();
    const e = await refused(createWorkspace(h.db, w.alex, { name: 'ACME', slug: 'acme-2' }));
    expect(e.kind).toBe('conflict');
    expect(e.fieldErrors.name).toEqual(['A workspace named “ACME” already exists: choose another name.']);
    // The short name made from it clashes too, but the name is what the admin typed: the error is on the name.
    expect((await refused(createWorkspace(h.db, w.alex, { name: 'acme' }))).fieldErrors).toEqual({
      name: ['A workspace named “acme” already exists: choose another name.'],
    });
    expect(await auditCount()).toBe(before);
  });

  it('refuses a short name that is taken or malformed', async () => {
    expect((await refused(createWorkspace(h.db, w.alex, { name: 'Another Acme', slug: 'acme' }))).fieldErrors.slug).toEqual([
      'The short name “acme” is taken: choose another one.',
    ]);
    const bad = await refused(createWorkspace(h.db, w.alex, { name: 'Okay Name', slug: 'Not OK!' }));
    expect(bad.kind).toBe('validation');
    expect(bad.fieldErrors.slug?.[0]).toMatch(/lower-case letters, digits and single hyphens/);
    expect((await refused(createWorkspace(h.db, w.alex, { name: '!!' }))).fieldErrors.slug?.[0]).toMatch(/no letters or digits/);
  });

  it('is refused to anyone but an admin', async () => {
    expect((await refused(createWorkspace(h.db, w.erin, { name: 'Sneaky' }))).kind).toBe('forbidden');
    expect(await h.db.select().from(workspaces).where(eq(workspaces.name, 'Sneaky'))).toEqual([]);
  });

  it('overrides limits only with a reason, audited with before and after', async () => {
    const noReason = limitOverrideSchema.safeParse({
      workspaceId: w.globex,
      endpointLimit: '5',
      monthlyTransferLimitGib: '600',
      reason: '',
    });
    expect(noReason.success).toBe(false);
    expect(noReason.error?.issues.map((i) => i.path[0])).toEqual(['reason']);
    await setWorkspaceLimits(
      h.db,
      w.alex,
      limitOverrideSchema.parse({
        workspaceId: w.globex,
        endpointLimit: '5',
        monthlyTransferLimitGib: '600',
        reason: 'Signed enterprise pilot',
      }),
      ctx,
    );
    const a = await lastAudit();
    expect(a).toMatchObject({ action: 'workspace.limits_override', workspaceId: w.globex });
    expect(a.before).toMatchObject({ endpointLimit: 2, monthlyTransferLimitGib: 300 });
    expect(a.after).toMatchObject({ endpointLimit: 5, monthlyTransferLimitGib: 600, reason: 'Signed enterprise pilot' });
  });

  it('derives short names', () => {
    expect(slugify('Ünïcode Café  Ltd.')).toBe('unicode-cafe-ltd');
    expect(slugify('---')).toBe('');
  });
});

describe('users', () => {
  it('creates a user with a lower-cased e-mail and a one-time password that signs in; the password is never stored or audited', async () => {
    const { user, password } = await createUser(
      h.db,
      w.alex,
      { email: '  Pat.Smith@Initech.EXAMPLE ', name: 'Pat Smith', role: 'customer_admin', workspaceId: w.acme },
      ctx,
    );
    expect(user).toMatchObject({ email: 'pat.smith@initech.example', role: 'customer_admin', workspaceId: w.acme, disabled: false });
    expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    const [row] = await h.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(row!.hash).toMatch(/^\$2[aby]\$/);
    const a = await lastAudit();
    expect(a).toMatchObject({ action: 'user.create', targetId: user.id, workspaceId: w.acme });
    expect(JSON.stringify(a)).not.toContain(password);
    expect(JSON.stringify(await listUsers(h.db))).not.toMatch(/\$2[aby]\$/);
    const signIn = await authenticate(h.db, { email: 'PAT.SMITH@initech.example', password });
    expect(signIn.ok).toBe(true);
  });

  it('refuses an e-mail already in use, whatever its case, with a clear error on the field', async () => {
    const before = await auditCount();
    const e = await refused(
      createUser(h.db, w.alex, { email: 'ADA@acme.example', name: 'Ada 2', role: 'customer_viewer', workspaceId: w.acme }),
    );
    expect(e.kind).toBe('conflict');
    expect(e.fieldErrors.email?.[0]).toMatch(/^ada@acme\.example already has an account\./);
    expect(await auditCount()).toBe(before);
  });

  it('lets only one of two simultaneous creations of the same e-mail win', async () => {
    const input = { email: 'race@acme.example', name: 'Race', role: 'customer_viewer' as const, workspaceId: w.acme };
    const results = await Promise.allSettled([createUser(h.db, w.alex, input), createUser(h.db, w.alex, input)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as AppError).fieldErrors.email?.[0]).toMatch(/already has an account/);
    expect(await h.db.select().from(users).where(eq(users.email, 'race@acme.example'))).toHaveLength(1);
  });

  it.each([
    [{ email: 'x@acme.example', name: 'X', role: 'customer_viewer' }, 'workspaceId', /belongs to one workspace: choose it/],
    [{ email: 'y@portal.example', name: 'Y', role: 'csm', workspaceId: 'WS' }, 'workspaceId', /belongs to none/],
    [{ email: 'not-an-email', name: 'Z', role: 'engineer' }, 'email', /^That is not an e-mail address/],
    [{ email: 'z@portal.example', name: ' ', role: 'engineer' }, 'name', /Enter the person’s name/],
    [{ email: 'z@portal.example', name: 'Z', role: 'owner' }, 'role', /^Choose a role: Workspace admin, /],
  ])('refuses %o on %s', async (input: Record<string, string>, field, message) => {
    const e = await refused(
      createUser(h.db, w.alex, { ...input, workspaceId: input.workspaceId === 'WS' ? w.acme : input.workspaceId } as never),
    );
    expect(e.kind).toBe('validation');
    expect(e.fieldErrors[field]?.[0]).toMatch(message);
  });

  it('refuses a workspace that does not exist', async () => {
    const e = await refused(
      createUser(h.db, w.alex, {
        email: 'ghost@nowhere.example',
        name: 'Ghost',
        role: 'customer_admin',
        workspaceId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(e.fieldErrors.workspaceId?.[0]).toMatch(/does not exist/);
  });

  it('changes a role, moving the account in or out of a workspace, audited with before and after', async () => {
    const { user } = await createUser(h.db, w.alex, {
      email: 'mover@acme.example',
      name: 'Mover',
      role: 'customer_viewer',
      workspaceId: w.acme,
    });
    const toStaff = await changeRole(h.db, w.alex, { userId: user.id, role: 'csm' }, ctx);
    expect(toStaff).toMatchObject({ changed: true, user: { role: 'csm', workspaceId: null } });
    const a = await lastAudit();
    expect(a).toMatchObject({ action: 'user.role_change', targetId: user.id, workspaceId: w.acme });
    expect([a.before, a.after]).toEqual([
      { role: 'customer_viewer', workspaceId: w.acme },
      { role: 'csm', workspaceId: null },
    ]);
    const e = await refused(changeRole(h.db, w.alex, { userId: user.id, role: 'customer_admin' }));
    expect(e.fieldErrors.workspaceId?.[0]).toMatch(/choose it/);
    expect((await changeRole(h.db, w.alex, { userId: user.id, role: 'customer_admin', workspaceId: w.globex })).user).toMatchObject({
      role: 'customer_admin',
      workspaceId: w.globex,
    });
  });

  it('writes nothing when the role does not change', async () => {
    const before = await auditCount();
    expect((await changeRole(h.db, w.alex, { userId: w.erin.id, role: 'engineer' })).changed).toBe(false);
    expect(await auditCount()).toBe(before);
  });

  it('does not let an admin demote or disable themselves', async () => {
    const demote = await refused(changeRole(h.db, w.alex, { userId: w.alex.id, role: 'engineer' }));
    expect(demote.fieldErrors.role).toEqual(['You cannot demote yourself: ask another administrator to change your role.']);
    const disable = await refused(setDisabled(h.db, w.alex, { userId: w.alex.id, disabled: true }));
    expect(disable.message).toBe('You cannot disable your own account: ask another administrator.');
    const [me] = await h.db.select({ role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, w.alex.id));
    expect(me).toEqual({ role: 'admin', disabled: false });
  });

  it('disables an account so it cannot sign in, and re-enables it; both audited', async () => {
    const { user, password } = await createUser(h.db, w.alex, { email: 'temp@portal.example', name: 'Temp', role: 'engineer' });
    expect((await setDisabled(h.db, w.alex, { userId: user.id, disabled: 'true' }, ctx)).user.disabled).toBe(true);
    expect((await lastAudit()).action).toBe('user.disable');
    const refusedSignIn = await authenticate(h.db, { email: 'temp@portal.example', password });
    expect(refusedSignIn).toMatchObject({ ok: false, code: 'disabled' });
    expect((await setDisabled(h.db, w.alex, { userId: user.id, disabled: false })).user.disabled).toBe(false);
    expect((await lastAudit()).action).toBe('user.enable');
    expect((await authenticate(h.db, { email: 'temp@portal.example', password })).ok).toBe(true);
  });

  it('answers 404 for an unknown user and refuses non-admins', async () => {
    expect((await refused(setDisabled(h.db, w.alex, { userId: '00000000-0000-4000-8000-000000000000', disabled: true }))).kind).toBe(
      'not_found',
    );
    expect((await refused(setDisabled(h.db, w.casey, { userId: w.erin.id, disabled: true }))).kind).toBe('forbidden');
    expect((await refused(changeRole(h.db, w.ada, { userId: w.victor.id, role: 'customer_admin', workspaceId: w.acme }))).kind).toBe(
      'forbidden',
    );
  });
});
