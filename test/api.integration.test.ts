import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { apiTokens, auditLog, cases } from '@/db/schema';
import { hitRateLimit } from '@/lib/api/rate-limit';
import type { SessionUser } from '@/lib/auth/session-account';
import { createToken, revokeToken } from '@/lib/tokens';
import { apiClient, startApiServer } from './support/api-server';
import { createTestDatabase, hasRealPostgres } from './support/db';
import { caseIn, type Person, seedWorld, type World } from './support/world';

// The public API end to end over HTTP on a real database: a token's life, idempotent creation under concurrent
// repeats, and the rate limit shared by server processes.
const asUser = (p: Person): SessionUser => ({ id: p.id, email: p.email!, name: p.email!, role: p.role, workspaceId: p.workspaceId });
const inDays = (days: number, from = new Date()) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
const SNOWFLAKE = { warehouse: 'snowflake', region: 'us-east-1', inputs: { privatelinkEnabled: true } };

describe('public API', () => {
  let h: DatabaseHandle & { url?: string };
  let w: World;
  let server: { url: string; close(): Promise<void> };
  const tokenFor = async (p: Person, scope: 'read' | 'write' = 'write') =>
    (await createToken(h.db, asUser(p), { name: `${p.email} ${scope}`, scope, expiresAt: inDays(30) })).token;

  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db, { endpointLimit: 100 });
    server = await startApiServer(h);
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  describe('token lifecycle', () => {
    it('stores only the SHA-256 of a token, which is shown once and acts as its owner', async () => {
      const { token, listing } = await createToken(h.db, asUser(w.ada), { name: 'ci', scope: 'read', expiresAt: inDays(10) });
      expect(token).toMatch(/^plp_[A-Za-z0-9_-]{43}$/);
      const [row] = await h.db.select().from(apiTokens).where(eq(apiTokens.id, listing.id));
      expect(row!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
      const stored = JSON.stringify(await h.db.execute(sql`select * from api_tokens`));
      expect(stored).not.toContain(token);
      expect(row!.lastUsedAt).toBeNull();

      const me = await apiClient(server.url, token)('GET', '/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ email: 'ada@acme.example', role: 'customer_admin', workspaceId: w.acme });
      expect(me.body.token).toMatchObject({ id: listing.id, scope: 'read' });
      const [used] = await h.db.select().from(apiTokens).where(eq(apiTokens.id, listing.id));
      expect(used!.lastUsedAt).not.toBeNull();
    });

    it('refuses a read token anything that changes, with the scope named', async () => {
      const api = apiClient(server.url, await tokenFor(w.ada, 'read'));
      const before = await h.db.$count(cases);
      const r = await api('POST', '/cases', SNOWFLAKE);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('insufficient_scope');
      expect(await h.db.$count(cases)).toBe(before);
      expect((await api('GET', '/cases')).status).toBe(200);
    });

    it('refuses an expired token, an unknown one and none at all with 401', async () => {
      const past = new Date(Date.now() - 10 * 86_400_000);
      const { token } = await createToken(h.db, asUser(w.ada), { name: 'old', scope: 'write', expiresAt: inDays(-2) }, {}, past);
      const expired = await apiClient(server.url, token)('GET', '/me');
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toMatch(/expired/);
      expect((await apiClient(server.url, `${token}x`)('GET', '/me')).status).toBe(401);
      const none = await fetch(`${server.url}/api/v1/cases`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('refuses a token on the request after it was revoked', async () => {
      const made = await createToken(h.db, asUser(w.ada), { name: 'to revoke', scope: 'write', expiresAt: inDays(5) });
      const api = apiClient(server.url, made.token);
      expect((await api('GET', '/me')).status).toBe(200);
      await revokeToken(h.db, asUser(w.ada), { id: made.listing.id });
      const r = await api('GET', '/me');
      expect(r.status).toBe(401);
      expect(r.body.error.message).toMatch(/revoked/);
    });

    it('refuses expiry beyond a year, and another person revoking a token', async () => {
      await expect(createToken(h.db, asUser(w.ada), { name: 'long', scope: 'read', expiresAt: inDays(400) })).rejects.toMatchObject({
        fieldErrors: { expiresAt: [expect.stringMatching(/at most a year/)] },
      });
      const made = await createToken(h.db, asUser(w.ada), { name: 'mine', scope: 'read', expiresAt: inDays(5) });
      await expect(revokeToken(h.db, asUser(w.grace), { id: made.listing.id })).rejects.toMatchObject({ kind: 'not_found' });
    });

    it('never reaches another workspace: its cases answer 404, as missing ones do', async () => {
      const globexCase = await caseIn(h.db, w, 'snowflake', 'submitted', w.grace);
      const api = apiClient(server.url, await tokenFor(w.ada));
      expect((await api('GET', `/cases/${globexCase.id}`)).status).toBe(404);
      expect((await api('POST', `/cases/${globexCase.id}/events`, { event: 'cancel', version: globexCase.version })).status).toBe(404);
      expect((await api('PUT', `/cases/${globexCase.id}/steps/account`, { version: globexCase.version, values: {} })).status).toBe(404);
      const list = await api('GET', '/cases?limit=100');
      expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(globexCase.id);
      const [row] = await h.db.select({ state: cases.state }).from(cases).where(eq(cases.id, globexCase.id));
      expect(row!.state).toBe('submitted');
    });

    it('audits what a token does with the token’s id, and the token’s own life', async () => {
      const made = await createToken(h.db, asUser(w.ada), { name: 'audited', scope: 'write', expiresAt: inDays(5) });
      const api = apiClient(server.url, made.token);
      const created = await api('POST', '/cases', SNOWFLAKE);
      expect(created.status).toBe(201);
      const submitted = await api('POST', `/cases/${created.body.id}/events`, { event: 'submit', version: created.body.version });
      expect(submitted.status).toBe(200);
      expect(submitted.body.state).toBe('submitted');
      await revokeToken(h.db, asUser(w.ada), { id: made.listing.id });
      const rows = await h.db
        .select({ action: auditLog.action, after: auditLog.after, actorId: auditLog.actorId })
        .from(auditLog)
        .where(eq(auditLog.targetId, created.body.id));
      expect(rows.map((r) => r.action)).toEqual(['case.create', 'case.save_inputs', 'case.submit']);
      for (const r of rows) {
        expect(r.actorId).toBe(w.ada.id);
        expect((r.after as { apiToken?: string }).apiToken).toBe(made.listing.id);
      }
      const life = await h.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.targetType, 'api_token'), eq(auditLog.targetId, made.listing.id)));
      expect(life.map((r) => r.action)).toEqual(['token.create', 'token.revoke']);
    });

    it('answers 422 naming the field, the rule and the fix, and writes nothing', async () => {
      const api = apiClient(server.url, await tokenFor(w.ada));
      const before = await h.db.$count(cases);
      const r = await api('POST', '/cases', { warehouse: 'snowflake', inputs: { privatelinkEnabled: false, colour: 'blue' } });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('validation');
      const fields = r.body.error.issues.map((i: { field: string }) => i.field);
      expect(fields).toContain('body.inputs.privatelinkEnabled');
      expect(fields).toContain('body.inputs.colour');
      for (const i of r.body.error.issues) expect(i.rule).toMatch(/\S/);
      expect(await h.db.$count(cases)).toBe(before);
      const crafted = Buffer.from('2026-01-01T00:00:00Z|not-a-uuid').toString('base64url');
      for (const path of ['/cases?cursor=abc', `/endpoints?cursor=${crafted}`, '/cases?limit=1000']) {
        const r2 = await api('GET', path);
        expect(r2.status, path).toBe(422);
        expect(r2.body.error.issues[0].field).toMatch(/^query\./);
      }
      const bad = await api('POST', '/cases', { warehouse: 'oracle' });
      expect(bad.status).toBe(422);
      expect(bad.body.error.issues[0]).toMatchObject({ field: 'body.warehouse' });
    });
  });

  describe('Idempotency-Key', () => {
    it('creates exactly one case for 20 concurrent repeats of one key, each answered with the first answer', async () => {
      const api = apiClient(server.url, await tokenFor(w.ada));
      const before = await h.db.$count(cases, eq(cases.workspaceId, w.acme));
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => api('POST', '/cases', SNOWFLAKE, { 'idempotency-key': 'create-snowflake-1' })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
      expect(await h.db.$count(cases, eq(cases.workspaceId, w.acme))).toBe(before + 1);
      const later = await api('POST', '/cases', SNOWFLAKE, { 'idempotency-key': 'create-snowflake-1' });
      expect(later.body).toEqual(answers[0]!.body);
    });

    it('refuses the same key for a different request, and keeps keys apart per token', async () => {
      const api = apiClient(server.url, await tokenFor(w.ada));
      expect((await api('POST', '/cases', SNOWFLAKE, { 'idempotency-key': 'k-2' })).status).toBe(201);
      const other = await api('POST', '/cases', { ...SNOWFLAKE, region: 'us-west-2' }, { 'idempotency-key': 'k-2' });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('idempotency_key_reused');
      const second = apiClient(server.url, await tokenFor(w.ada));
      const fresh = await second('POST', '/cases', SNOWFLAKE, { 'idempotency-key': 'k-2' });
      expect(fresh.status).toBe(201);
      expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    });

    it('does an event once for a repeated key: the repeat gets the first answer, not a stale-version refusal', async () => {
      const api = apiClient(server.url, await tokenFor(w.ada));
      const c = (await api('POST', '/cases', SNOWFLAKE)).body;
      const first = await api('POST', `/cases/${c.id}/events`, { event: 'submit', version: c.version }, { 'idempotency-key': 'submit-1' });
      const again = await api('POST', `/cases/${c.id}/events`, { event: 'submit', version: c.version }, { 'idempotency-key': 'submit-1' });
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const without = await api('POST', `/cases/${c.id}/events`, { event: 'submit', version: c.version });
      expect(without.status).toBe(409);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After once a token sent its limit in the window', async () => {
      process.env.API_RATE_LIMIT = '5';
      try {
        const api = apiClient(server.url, await tokenFor(w.ada));
        const statuses: number[] = [];
        let last: Awaited<ReturnType<typeof api>> | null = null;
        for (let i = 0; i < 7; i++) {
          last = await api('GET', '/me');
          statuses.push(last.status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
        expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
        expect(last!.body.error.code).toBe('rate_limited');
        // Another token of the same person has its own count.
        expect((await apiClient(server.url, await tokenFor(w.ada))('GET', '/me')).status).toBe(200);
      } finally {
        delete process.env.API_RATE_LIMIT;
      }
    });

    it('holds across server processes: two connection pools share one count', async () => {
      if (!hasRealPostgres || !h.url) return; // PGlite has one connection: nothing to share
      const other = await openDatabase({ url: h.url });
      try {
        const { listing } = await createToken(h.db, asUser(w.erin), { name: 'shared', scope: 'read', expiresAt: inDays(3) });
        const at = new Date('2026-06-01T10:00:30Z');
        const verdicts = await Promise.all(
          Array.from({ length: 12 }, (_, i) => hitRateLimit(i % 2 ? other.db : h.db, listing.id, 5, 60_000, at)),
        );
        expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
        expect(verdicts.find((v) => !v.allowed)!.resetSeconds).toBe(30);
        // The next window starts again.
        expect((await hitRateLimit(other.db, listing.id, 5, 60_000, new Date('2026-06-01T10:01:00Z'))).allowed).toBe(true);
      } finally {
        await other.close();
      }
    });
  });
});
