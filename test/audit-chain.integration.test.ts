import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { verifyAuditChain } from '@/db/queries/audit-chain';
import { writeAudit } from '@/lib/audit';
import { createTestDatabase, dbErrorMessage, hasRealPostgres } from './support/db';

const run = promisify(execFile);

async function writeRows(h: DatabaseHandle, n: number) {
  for (let i = 0; i < n; i++) {
    await writeAudit(h.db, {
      actor: { id: null, email: `person${i}@example.com`, role: 'admin' },
      action: 'test.row',
      targetType: 'test',
      targetId: String(i),
      after: { i, note: `row ${i}` },
    });
  }
  const rows = await h.db.execute(sql`select id::int as id, seq::int as seq from audit_log order by seq`);
  return (rows as unknown as { rows: { id: number; seq: number }[] }).rows;
}

/** Change the log behind the triggers' back, as someone with the database's owner rights could. */
async function asOwner(h: DatabaseHandle & { ownerUrl?: string }, statements: string[]) {
  if (h.ownerUrl) {
    const c = new pg.Client({ connectionString: h.ownerUrl });
    await c.connect();
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  } else {
    for (const s of statements) await h.db.execute(sql.raw(s));
  }
}

describe('the audit log is tamper-evident', () => {
  let h: DatabaseHandle & { ownerUrl?: string };
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('chains every row the application writes, in order, and proves the chain', async () => {
    const rows = await writeRows(h, 5);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, rows: 5 });
  });

  it('names the first row whose content was changed, and a row removed from the chain', async () => {
    const rows = await writeRows(h, 3);
    const victim = rows[6]!; // the second of this test's rows (five came before)
    await asOwner(h, [
      'alter table audit_log disable trigger audit_log_no_update_delete',
      `update audit_log set after = '{"i": 99}' where id = ${victim.id}`,
      'alter table audit_log enable trigger audit_log_no_update_delete',
    ]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, id: victim.id, problem: 'content' });

    // Put the content back and remove the row before it instead: the chain shows the gap at the row that follows.
    const before = rows[5]!;
    await asOwner(h, [
      'alter table audit_log disable trigger audit_log_no_update_delete',
      `update audit_log set after = '{"i": 1, "note": "row 1"}' where id = ${victim.id}`,
      `delete from audit_log where id = ${before.id}`,
      'alter table audit_log enable trigger audit_log_no_update_delete',
    ]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, id: victim.id, problem: 'gap' });
  });
});

describe('npm run audit:verify', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plp-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a whole chain and 1 naming the row on a broken one', async () => {
    const h = await openDatabase({ dataDir: path.join(dir, 'pglite') });
    const rows = await writeRows(h, 4);
    await h.close();
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '' };
    const ok = await run('npx', ['tsx', '--conditions=react-server', 'scripts/audit-verify.ts'], { env });
    expect(ok.stdout).toMatch(/Audit log intact: 4 rows, chain head [0-9a-f]{64}\./);

    const again = await openDatabase({ dataDir: path.join(dir, 'pglite') });
    await again.db.execute(sql.raw('alter table audit_log disable trigger audit_log_no_update_delete'));
    await again.db.execute(sql.raw(`update audit_log set actor_email = 'someone.else@example.com' where id = ${rows[2]!.id}`));
    await again.close();
    const broken = await run('npx', ['tsx', '--conditions=react-server', 'scripts/audit-verify.ts'], { env }).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`Audit log broken at row id ${rows[2]!.id} (chain position 3): its content no longer matches its hash`);
  }, 120_000);
});

describe.runIf(hasRealPostgres)('the portal runs as a role that cannot erase the audit log', () => {
  let h: DatabaseHandle & { ownerUrl?: string };
  beforeAll(async () => {
    h = await createTestDatabase({ real: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['update audit_log set action = $$x$$', /permission denied/],
    ['delete from audit_log', /permission denied/],
    ['truncate audit_log', /permission denied/],
    ['alter table audit_log disable trigger all', /must be owner/],
    ['drop trigger audit_log_hash_chain on audit_log', /must be owner/],
    ['drop table audit_log', /must be owner/],
    [
      'create or replace function audit_log_reject_change() returns trigger language plpgsql as $$ begin return null; end $$',
      /must be owner|permission denied for schema public/,
    ],
  ])('refuses %s', async (statement, refusal) => {
    expect(await dbErrorMessage(h.db.execute(sql.raw(statement)))).toMatch(refusal);
  });

  it('still adds and reads rows, chained', async () => {
    await writeRows(h, 2);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, rows: 2 });
  });
});
