import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { apiTokens } from '@/db/schema';
import { hashToken } from '@/lib/tokens';
import { apiClient, startApiServer } from './support/api-server';
import { createTestDatabase } from './support/db';
import { caseIn, type Person, seedWorld, type World } from './support/world';

// Every /api/v1 operation against every role, with a write token and with a read token. Expected, written out
// independently of the policy module and of lib/api/operations.ts, the same oracle as the UI's matrix: one column per
// role in the order customer_admin, customer_viewer, csm, engineer, admin ("Y" let through, "." refused with 403).
const EXPECTED: Record<string, { method: string; path: (c: string) => string; allowed: string; body?: unknown }> = {
  getMe: { method: 'GET', path: () => '/me', allowed: 'YYYYY' },
  listCases: { method: 'GET', path: () => '/cases', allowed: 'YYYYY' },
  createCase: {
    method: 'POST',
    path: () => '/cases',
    allowed: 'Y....',
    body: { warehouse: 'snowflake', inputs: { privatelinkEnabled: true } },
  },
  getCase: { method: 'GET', path: (c) => `/cases/${c}`, allowed: 'YYYYY' },
  listCaseEvents: { method: 'GET', path: (c) => `/cases/${c}/events`, allowed: 'YYYYY' },
  fireCaseEvent: { method: 'POST', path: (c) => `/cases/${c}/events`, allowed: 'Y.YY.', body: { event: 'no_such_event', version: 1 } },
  saveCaseStep: { method: 'PUT', path: (c) => `/cases/${c}/steps/account`, allowed: 'Y....', body: { version: 1, values: {} } },
  runCasePreflight: { method: 'POST', path: (c) => `/cases/${c}/preflight`, allowed: 'Y.YY.' },
  listEndpoints: { method: 'GET', path: () => '/endpoints', allowed: 'YYYYY' },
  getUsage: { method: 'GET', path: () => '/usage', allowed: 'YYYYY' },
};
const ROLE_ORDER = ['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin'];

describe('every /api/v1 operation against every role', () => {
  let h: DatabaseHandle;
  let w: World;
  let server: { url: string; close(): Promise<void> };
  let caseId: string;
  // Tokens straight in the table: a read-only member cannot make one, but may hold one made before a demotion.
  const tokenOf = async (p: Person, scope: 'read' | 'write') => {
    const token = `plp_${randomBytes(32).toString('base64url')}`;
    await h.db.insert(apiTokens).values({
      userId: p.id,
      workspaceId: p.workspaceId,
      name: `${p.role} ${scope}`,
      scope,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    return token;
  };

  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db, { endpointLimit: 100 });
    server = await startApiServer(h);
    caseId = (await caseIn(h.db, w, 'snowflake', 'submitted')).id;
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('lists every documented operation in the expected table', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    expect(ids.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(['write', 'read'] as const)('answers each role with a %s token as the table says', async (scope) => {
    const people = [w.ada, w.victor, w.casey, w.erin, w.alex];
    const wrong: string[] = [];
    for (const p of people) {
      const api = apiClient(server.url, await tokenOf(p, scope));
      for (const [id, e] of Object.entries(EXPECTED)) {
        const r = await api(e.method, e.path(caseId), e.body);
        const roleOk = e.allowed[ROLE_ORDER.indexOf(p.role)] === 'Y';
        const scopeOk = scope === 'write' || e.method === 'GET';
        const expected = !scopeOk ? 'insufficient_scope' : roleOk ? 'through' : 'forbidden';
        const got = r.status === 403 ? r.body.error.code : r.status === 401 || r.status >= 500 ? `status ${r.status}` : 'through';
        if (got !== expected) wrong.push(`${p.role} ${scope} ${id}: expected ${expected}, got ${got} (${r.status})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
