import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '@/lib/auth/session';

// Every server action, called as each role with fast-check-generated bad input (wrong types, huge strings, unicode,
// missing and extra fields, negative numbers, SQL and HTML metacharacters): always a refusal with a message (never an
// internal error), and a refused call writes no row anywhere. The actions run for real — zod, policy, services,
// database (PGlite) — only Next's request context (headers, session, cache) is provided by the test.

process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'plp-fuzz-'));
delete process.env.DATABASE_URL;
process.env.DEMO_PASSWORD = 'fuzz-Password-1';
process.env.BCRYPT_ROUNDS = '10';

let actingUser: SessionUser | null = null;
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'x-request-id': 'fuzz', 'x-forwarded-for': '192.0.2.9' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('@/lib/auth/session', () => ({ currentUser: async () => actingUser, requirePageUser: async () => actingUser }));

const ACTION_MODULES = [
  'cases/actions',
  'cases/connection-actions',
  'cases/workspace-actions',
  'cases/sandbox-actions',
  'usage/actions',
  'admin/actions',
  'notifications/actions',
  'account/actions',
  'account/tokens/actions',
  'outbox/actions',
];
// Who may call each server action at all, written out independently of the policy module: one column per role in the
// order customer_admin, customer_viewer, csm, engineer, admin ("Y" allowed, "." forbidden).
const ROLES = ['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin'];
const ACTION_ROLES: Record<string, string> = {
  'account/actions#setEmailPreferencesAction': 'YYYYY',
  'account/actions#signOutEverywhereAction': 'YYYYY',
  'account/tokens/actions#createTokenAction': 'Y.YYY',
  'account/tokens/actions#revokeTokenAction': 'Y.YYY',
  'admin/actions#changeRoleAction': '....Y',
  'admin/actions#createUserAction': '....Y',
  'admin/actions#createWorkspaceAction': '....Y',
  'admin/actions#overrideLimitsAction': '....Y',
  'admin/actions#setDisabledAction': '....Y',
  'admin/actions#unlockSignInAction': '....Y',
  'cases/actions#addNoteAction': '..YY.',
  'cases/actions#sendMessageAction': 'Y.YY.',
  'cases/actions#caseEventAction': 'Y.YY.',
  'cases/actions#checkInputsAction': 'Y....',
  'cases/actions#runPreflightAction': 'Y.YY.',
  'cases/workspace-actions#setAutoRequestAction': '..Y..',
  'cases/actions#saveStepAction': 'Y....',
  'cases/actions#startCaseAction': 'Y....',
  'cases/connection-actions#testConnectionAction': '...Y.',
  'cases/sandbox-actions#allowPrincipalAction': 'Y....',
  'cases/sandbox-actions#answerConnectionAction': 'Y....',
  'cases/sandbox-actions#authorizeRedshiftAction': 'Y....',
  'cases/sandbox-actions#createNlbServiceAction': 'Y....',
  'cases/sandbox-actions#createRedshiftClusterAction': 'Y....',
  'cases/sandbox-actions#registerDatabricksEndpointAction': 'Y....',
  'cases/sandbox-actions#removePrincipalAction': 'Y....',
  'cases/sandbox-actions#setServiceAzsAction': 'Y....',
  'cases/sandbox-actions#snowflakeAuthorizeAction': 'Y....',
  'notifications/actions#markNotificationsReadAction': 'YYYYY',
  'usage/actions#setSandboxTrafficAction': '...Y.',
  'outbox/actions#resendMessageAction': '..YYY',
};
const REFUSALS = ['validation', 'forbidden', 'not_found', 'conflict', 'limit', 'unauthenticated', 'unavailable'];
const TABLES = [
  'workspaces',
  'users',
  'cases',
  'case_events',
  'endpoints',
  'dns_records',
  'usage_daily',
  'audit_log',
  'notifications',
  'outbox',
  'email_opt_outs',
];

type Action = ((input: unknown) => Promise<{ ok: boolean; code?: string; message?: string }>) & { permission: string };

const METACHARS = [
  "' OR '1'='1",
  '"; drop table cases; --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '\u2066isolate\u2069',
  'mark\u200F',
  '\u061C',
  '😀👩‍👩‍👧‍👦',
  'NaN',
  '-1',
  '1e309',
  '__proto__',
];
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...METACHARS),
  fc.constant('x'.repeat(100_001)),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uuid(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);
const FIELDS = [
  'caseId',
  'version',
  'event',
  'note',
  'warehouse',
  'region',
  'stepId',
  'values',
  'workspaceId',
  'userId',
  'id',
  'email',
  'name',
  'role',
  'slug',
  'endpointLimit',
  'monthlyTransferLimitGib',
  'reason',
  'disabled',
  'password',
  'user',
  'tls',
  'notificationId',
  'endpointId',
  'gibPerDay',
  'addTodayGb',
  'constructor',
];
const input = fc.oneof(nasty, fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 6 }));

let actions: [string, Action][] = [];
let people: SessionUser[] = [];
let db: Awaited<ReturnType<typeof import('@/db/index').getDb>>;

async function rowCounts(): Promise<string> {
  const res = (await db.execute(sql.raw(`select ${TABLES.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')}`))) as unknown as {
    rows: unknown[];
  };
  return JSON.stringify(res.rows[0]);
}

beforeAll(async () => {
  // The process-wide database as the server opens it: migrated, then the demo seed (as instrumentation.ts sets it up).
  const { getDb, setDatabaseInit } = await import('@/db/index');
  const { seedDemoIfWanted } = await import('@/lib/demo-seed');
  setDatabaseInit((d) => seedDemoIfWanted(d, { embedded: true }));
  db = await getDb();
  const { users } = await import('@/db/schema');
  people = (await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, workspaceId: users.workspaceId })
    .from(users)) as SessionUser[];
  for (const m of ACTION_MODULES) {
    const mod = (await import(`@/app/(portal)/${m}`)) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) if (typeof fn === 'function') actions.push([`${m}#${name}`, fn as Action]);
  }
  actions = actions.sort(([a], [b]) => a.localeCompare(b));
}, 120_000);

describe('server actions under fuzzed input', () => {
  it('found the actions and the demo people', () => {
    expect(actions.length).toBeGreaterThanOrEqual(10);
    expect(new Set(people.map((p) => p.role))).toEqual(new Set(['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin']));
  });

  // The authorization matrix: every action × every role (and signed out) against the policy table. The wrapper checks
  // the role before it looks at the input, so an empty input tells allow from deny.
  it('allows or forbids every action for every role exactly as the expected table says', async () => {
    expect(actions.map(([name]) => name).sort()).toEqual(Object.keys(ACTION_ROLES).sort());
    const cells: string[] = [];
    for (const [name, action] of actions) {
      for (const who of [null, ...people]) {
        actingUser = who;
        const res = await action({});
        const expected = who === null ? 'unauthenticated' : ACTION_ROLES[name]![ROLES.indexOf(who.role)] === 'Y' ? 'allowed' : 'forbidden';
        const got = res.ok ? 'allowed' : res.code === 'unauthenticated' || res.code === 'forbidden' ? res.code : 'allowed';
        cells.push(`${name} as ${who?.role ?? 'signed-out'}: ${got === expected ? 'ok' : `expected ${expected}, got ${res.code}`}`);
      }
    }
    expect(cells.filter((c) => !c.endsWith(': ok'))).toEqual([]);
    expect(cells.length).toBe(actions.length * (people.length + 1));
  });

  it('refuses bad input from every role with a message, and writes nothing when it refuses', async () => {
    let calls = 0;
    for (const [name, action] of actions) {
      await fc.assert(
        fc.asyncProperty(input, fc.nat({ max: people.length }), async (raw, who) => {
          actingUser = who === people.length ? null : people[who]!;
          const before = await rowCounts();
          const res = await action(raw);
          calls++;
          expect(res, name).toBeTypeOf('object');
          if (res.ok) return; // random input that happens to be valid may succeed
          expect(REFUSALS, `${name} answered ${res.code}: ${res.message}`).toContain(res.code);
          expect(res.message?.length, name).toBeGreaterThan(0);
          expect(await rowCounts(), `${name} wrote rows while refusing`).toBe(before);
        }),
        { numRuns: 40, seed: 4242 },
      );
    }
    expect(calls).toBeGreaterThanOrEqual(actions.length * 40);
  }, 300_000);

  // Characters the database cannot store or that disguise text, in every kind of text field: a validation refusal
  // that names the field and the rule, never an internal error, and nothing written.
  const CASE = '00000000-0000-4000-8000-000000000001';
  const WS = '00000000-0000-4000-8000-000000000002';
  const UNSAFE: [who: string, action: string, input: Record<string, unknown>, field: string, rule: RegExp][] = [
    ['admin', 'admin/actions#createUserAction', { email: 'n@x.example', name: 'Eve\u202Egnp', role: 'csm' }, 'name', /text direction/],
    ['admin', 'admin/actions#createUserAction', { email: 'n\u0000@x.example', name: 'Eve', role: 'csm' }, 'email', /control characters/],
    ['admin', 'admin/actions#createWorkspaceAction', { name: 'Acme\u0000' }, 'name', /control characters/],
    ['admin', 'admin/actions#createWorkspaceAction', { name: 'Acme\uD800' }, 'name', /broken characters/],
    ['admin', 'admin/actions#createWorkspaceAction', { name: '\u2066Acme\u2069' }, 'name', /text direction/],
    [
      'admin',
      'admin/actions#overrideLimitsAction',
      { workspaceId: WS, endpointLimit: 3, monthlyTransferLimitGib: 300, reason: 'pilot \u202Eextension' },
      'reason',
      /text direction/,
    ],
    [
      'admin',
      'admin/actions#overrideLimitsAction',
      { workspaceId: WS, endpointLimit: 3, monthlyTransferLimitGib: 300, reason: 'pilot\u0000 extension' },
      'reason',
      /control characters/,
    ],
    ['csm', 'cases/actions#addNoteAction', { caseId: CASE, note: 'called \u0000 them' }, 'note', /control characters/],
    ['csm', 'cases/actions#addNoteAction', { caseId: CASE, note: 'called \uDC00 them' }, 'note', /broken characters/],
    ['customer_admin', 'cases/actions#sendMessageAction', { caseId: CASE, message: 'hi \u0000 there' }, 'message', /control characters/],
    ['csm', 'cases/actions#caseEventAction', { caseId: CASE, event: 'reject', version: 2, note: 'no\u202E' }, 'note', /text direction/],
    ['customer_admin', 'cases/actions#saveStepAction', { caseId: CASE, version: 1, stepId: 's\u0000', values: {} }, 'stepId', /control/],
    [
      'customer_admin',
      'cases/actions#saveStepAction',
      { caseId: CASE, version: 1, stepId: 'cluster', values: { port: '54\u000039' } },
      'values.port',
      /control characters/,
    ],
    [
      'customer_admin',
      'cases/actions#saveStepAction',
      { caseId: CASE, version: 1, stepId: 'cluster', values: { clusterId: 'x\uD800' } },
      'values.clusterId',
      /broken characters/,
    ],
    ['engineer', 'cases/connection-actions#testConnectionAction', { caseId: CASE, user: 'admin\u0000' }, 'user', /control characters/],
  ];

  it.each(UNSAFE)('as %s, %s refuses %j naming %s', async (role, name, raw, field, rule) => {
    const action = actions.find(([n]) => n === name)?.[1];
    expect(action, name).toBeDefined();
    actingUser = people.find((p) => p.role === role)!;
    const before = await rowCounts();
    const res = (await action!(raw)) as { ok: boolean; code?: string; fieldErrors?: Record<string, string[]> };
    expect(res).toMatchObject({ ok: false, code: 'validation' });
    expect(res.fieldErrors?.[field]?.join(' ')).toMatch(rule);
    expect(await rowCounts()).toBe(before);
  });
});
