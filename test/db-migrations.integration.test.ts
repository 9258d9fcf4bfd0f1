import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { auditLog, users, workspaces } from '@/db/schema';
import { createTestDatabase, dbErrorMessage, hasRealPostgres } from './support/db';

const TABLES = [
  'api_idempotency',
  'api_rate_limits',
  'api_tokens',
  'audit_log',
  'case_events',
  'case_messages',
  'case_reminders',
  'cases',
  'dns_records',
  'email_opt_outs',
  'endpoints',
  'notifications',
  'outbox',
  'sign_in_throttle',
  'usage_alerts',
  'usage_daily',
  'usage_monthly',
  'users',
  'workspaces',
];

const targets: { name: string; real: boolean }[] = [{ name: 'PGlite', real: false }];
if (hasRealPostgres) targets.push({ name: 'PostgreSQL server', real: true });

describe.each(targets)('migrations on $name', ({ real }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase({ real });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates every table of the design', async () => {
    const rows = await h.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = (rows as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
    expect(names).toEqual(TABLES);
  });

  it('rejects UPDATE and DELETE on audit_log through the trigger', async () => {
    const [row] = await h.db
      .insert(auditLog)
      .values({ actorRole: 'system', action: 'test.append', targetType: 'system' })
      .returning({ id: auditLog.id });
    expect(row?.id).toBeGreaterThan(0);
    expect(await dbErrorMessage(h.db.update(auditLog).set({ action: 'tampered' }).where(sql`id = ${row!.id}`))).toMatch(
      /audit_log is append-only: UPDATE is not allowed|permission denied for table audit_log/,
    );
    expect(await dbErrorMessage(h.db.delete(auditLog).where(sql`id = ${row!.id}`))).toMatch(
      /audit_log is append-only: DELETE is not allowed|permission denied for table audit_log/,
    );
    expect(await dbErrorMessage(h.db.execute(sql`truncate audit_log`))).toMatch(
      /audit_log is append-only: TRUNCATE is not allowed|permission denied for table audit_log/,
    );
    const [still] = await h.db.select({ action: auditLog.action }).from(auditLog).where(sql`id = ${row!.id}`);
    expect(still?.action).toBe('test.append');
  });

  it('refuses a customer without a workspace and staff with one', async () => {
    await expect(h.db.insert(users).values({ email: 'c@x.example', name: 'C', role: 'customer_admin' })).rejects.toThrow();
    const [ws] = await h.db.insert(workspaces).values({ name: 'W', slug: 'w' }).returning({ id: workspaces.id });
    await expect(h.db.insert(users).values({ email: 's@x.example', name: 'S', role: 'csm', workspaceId: ws!.id })).rejects.toThrow();
    await expect(
      h.db.insert(users).values({ email: 'c@x.example', name: 'C', role: 'customer_admin', workspaceId: ws!.id }),
    ).resolves.toBeDefined();
  });

  it('applies migrations idempotently when opened again', async () => {
    // A second start over the same database must be a no-op (servers restart every deploy): as the owner it migrates
    // nothing, and as the app role alone it only sees that nothing is pending.
    if (!real) {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await expect(migrate(h.db as never, { migrationsFolder: 'db/migrations' })).resolves.toBeUndefined();
      return;
    }
    const { url, ownerUrl } = h as DatabaseHandle & { url: string; ownerUrl: string };
    for (const again of [await openDatabase({ url, ownerUrl }), await openDatabase({ url })]) {
      expect(await again.db.$count(workspaces)).toBeGreaterThanOrEqual(0);
      await again.close();
    }
  });
});
