import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { iterateAudit, listAuditActions, listAuditPage } from '@/db/queries/audit';
import { auditLog, cases, users, workspaces } from '@/db/schema';
import { auditCsvStream } from '@/app/api/audit/export/csv';
import { auditFilterSchema, filterParams, toAuditFilter } from '@/lib/admin/audit-filter';
import type { AuditFilter } from '@/db/queries/audit';
import { createTestDatabase, dbErrorMessage } from './support/db';

let h: DatabaseHandle;
let acme: string;
let globex: string;

// 120 rows over 120 hours from 2026-03-01 00:00 UTC: every 3rd by the reconciler, the others alternating Ada
// (acme, case.*) and Erin (globex, user.*), plus one with values that would be formulas in a spreadsheet.
beforeAll(async () => {
  h = await createTestDatabase();
  [{ id: acme }, { id: globex }] = (await h.db
    .insert(workspaces)
    .values([
      { name: 'Acme', slug: 'acme' },
      { name: 'Globex', slug: 'globex' },
    ])
    .returning({ id: workspaces.id })) as [{ id: string }, { id: string }];
  const start = Date.parse('2026-03-01T00:00:00Z');
  await h.db.insert(auditLog).values(
    Array.from({ length: 120 }, (_, i) => {
      const at = new Date(start + i * 3_600_000);
      if (i % 3 === 0) return { at, actorRole: 'reconciler', action: 'case.activate', targetType: 'case', workspaceId: acme };
      return i % 2 === 0
        ? {
            at,
            actorEmail: 'ada@acme.example',
            actorRole: 'customer_admin',
            action: 'case.submit',
            targetType: 'case',
            targetId: `c-${i}`,
            workspaceId: acme,
          }
        : {
            at,
            actorEmail: 'erin@portal.example',
            actorRole: 'engineer',
            action: 'user.role_change',
            targetType: 'user',
            targetId: `u-${i}`,
            workspaceId: globex,
          };
    }),
  );
  await h.db.insert(auditLog).values({
    at: new Date('2026-03-10T00:00:00Z'),
    actorEmail: "=cmd|' /C calc'!A0",
    actorRole: 'anonymous',
    action: 'auth.sign_in_refused',
    targetType: 'user',
    after: { reason: 'unknown, "quoted"\nline' },
  });
});
afterAll(async () => {
  await h?.close();
});

const all = async (f: AuditFilter) => (await listAuditPage(f, { limit: 1000 }, h.db)).rows;

describe('audit filters (in SQL)', () => {
  it('filters by actor e-mail substring, case-insensitively, or by role', async () => {
    const ada = await all({ actor: 'ADA@acme' });
    expect(ada.length).toBe(40);
    expect(new Set(ada.map((r) => r.actorEmail))).toEqual(new Set(['ada@acme.example']));
    expect((await all({ actor: 'reconciler' })).length).toBe(40);
    expect(await all({ actor: '%' })).toEqual([]); // LIKE wildcards are searched for literally
  });

  it('filters by exact action and by action family', async () => {
    expect((await all({ action: 'case.submit' })).length).toBe(40);
    expect((await all({ action: 'case.*' })).length).toBe(80);
    expect(await all({ action: 'case.sub' })).toEqual([]);
  });

  it('filters by workspace, joining its name', async () => {
    const rows = await all({ workspaceId: globex });
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((r) => r.workspaceName))).toEqual(new Set(['Globex']));
  });

  it('filters by a UTC day range, the "to" day included', async () => {
    const f = toAuditFilter(auditFilterSchema.parse({ from: '2026-03-02', to: '2026-03-02' }));
    const rows = await all(f);
    expect(rows.length).toBe(24);
    expect(rows.every((r) => r.at.toISOString().startsWith('2026-03-02'))).toBe(true);
    expect((await all({ ...f, actor: 'erin', workspaceId: globex })).length).toBe(8);
  });
});

describe('audit pagination (keyset, newest first)', () => {
  it('pages through every row once, forwards and back', async () => {
    const p1 = await listAuditPage({}, { limit: 50 }, h.db);
    expect(p1.rows.length).toBe(50);
    expect(p1.newerThan).toBeNull();
    const p2 = await listAuditPage({}, { before: p1.olderThan!, limit: 50 }, h.db);
    const p3 = await listAuditPage({}, { before: p2.olderThan!, limit: 50 }, h.db);
    expect(p3.rows.length).toBe(21);
    expect(p3.olderThan).toBeNull();
    const ids = [...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(121);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const back = await listAuditPage({}, { after: p3.newerThan!, limit: 50 }, h.db);
    expect(back.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    expect(back.newerThan).toBe(p2.rows[0]!.id);
  });

  it('lists the distinct actions', async () => {
    expect(await listAuditActions(h.db)).toEqual(['auth.sign_in_refused', 'case.activate', 'case.submit', 'user.role_change']);
  });

  it('exports in batches, leaving out rows appended after the export started', async () => {
    const batches = iterateAudit({ action: 'case.*' }, h.db, 30);
    const first = await batches.next();
    await h.db.insert(auditLog).values({ actorRole: 'reconciler', action: 'case.activate', targetType: 'case' });
    const rest: number[] = [];
    for await (const b of batches) rest.push(b.length);
    expect([first.value!.length, ...rest]).toEqual([30, 30, 20]);
  });
});

describe('audit CSV export', () => {
  async function csv(f: AuditFilter) {
    return new Response(auditCsvStream(f, h.db)).text();
  }

  it('streams a header and one escaped line per row', async () => {
    const text = await csv({ action: 'auth.*' });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'id,at_utc,actor_email,actor_role,actor_id,action,target_type,target_id,workspace,workspace_id,request_id,source_ip,before,after',
    );
    // The formula is defused with a leading apostrophe; the JSON with quotes and a newline is quoted per RFC 4180.
    expect(text).toContain(
      `,2026-03-10T00:00:00.000Z,'=cmd|' /C calc'!A0,anonymous,,auth.sign_in_refused,user,,,,,,,"{""reason"":""unknown, \\""quoted\\""\\nline""}"\r\n`,
    );
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('holds exactly the filtered rows', async () => {
    const text = await csv({ workspaceId: globex });
    const body = text.trim().split('\r\n').slice(1);
    expect(body.length).toBe(40);
    expect(body.every((l) => l.includes(',user.role_change,') && l.includes(',Globex,'))).toBe(true);
  });
});

describe('audit filter input', () => {
  it('treats empty fields as "any" and keeps the rest for links', () => {
    const v = auditFilterSchema.parse({ actor: '', action: 'user.*', workspace: '', from: '2026-03-01', to: '', before: '' });
    expect(v).toEqual({ action: 'user.*', from: '2026-03-01' });
    expect(filterParams(v).toString()).toBe('action=user.*&from=2026-03-01');
  });

  it.each([
    [{ from: '2026-02-30' }, 'from', /real day written YYYY-MM-DD/],
    [{ from: '2026-03-05', to: '2026-03-01' }, 'to', /is before the “from” date \(2026-03-05\): swap them/],
    [{ action: "case'; drop table" }, 'action', /Choose an action from the list/],
    [{ workspace: 'acme' }, 'workspace', /Choose a workspace from the list/],
    [{ before: '-3' }, 'before', /positive/],
  ])('refuses %o, naming %s', (input, field, message) => {
    const r = auditFilterSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });
});

describe('autosaves and case links', () => {
  it('hides the wizard autosaves unless asked for or named, and shows a case target by its number', async () => {
    const [ws] = await h.db.select({ id: workspaces.id }).from(workspaces).limit(1);
    const [u] = await h.db
      .insert(users)
      .values({ email: 'saver@acme.example', name: 'Saver', role: 'customer_admin', workspaceId: ws!.id })
      .returning({ id: users.id });
    const [c] = await h.db
      .insert(cases)
      .values({ workspaceId: ws!.id, warehouse: 'redshift', region: 'us-east-1', createdBy: u!.id })
      .returning({ id: cases.id, number: cases.number });
    await h.db.insert(auditLog).values({
      at: new Date('2026-03-11T00:00:00Z'),
      actorEmail: 'saver@acme.example',
      actorRole: 'customer_admin',
      action: 'case.save_inputs',
      targetType: 'case',
      targetId: c!.id,
    });
    const by = (q: Record<string, string>) => all(toAuditFilter(auditFilterSchema.parse({ actor: 'saver@', ...q })));
    expect(await by({})).toEqual([]);
    const shown = await by({ autosaves: '1' });
    expect(shown.map((r) => [r.action, r.caseNumber])).toEqual([['case.save_inputs', c!.number]]);
    expect(await by({ action: 'case.save_inputs' })).toHaveLength(1);
    expect(filterParams(auditFilterSchema.parse({ autosaves: '1' })).toString()).toBe('autosaves=1');
  });
});

describe('append-only', () => {
  it('refuses to change or delete audit rows', async () => {
    expect(await dbErrorMessage(h.db.execute(sql`update audit_log set action = 'x'`))).toMatch(/append-only|permission denied/);
    expect(await dbErrorMessage(h.db.execute(sql`delete from audit_log`))).toMatch(/append-only|permission denied/);
  });
});
