import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DatabaseHandle } from '@/db/index';
import type { SessionUser } from '@/lib/auth/session-account';
import { createToken } from '@/lib/tokens';
import { apiClient, startApiServer } from './support/api-server';
import { createTestDatabase } from './support/db';
import { caseIn, type Person, seedWorld, type World } from './support/world';

// The contract: every operation openapi.json documents is called over HTTP, and each answer — its status and its body
// — must be one the document describes. The validator is built from the served document (zod's JSON Schema input),
// not from the schemas the handlers use.
type Doc = {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};

function resolve(schema: unknown, doc: Doc): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolve(s, doc));
  if (!schema || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref?.startsWith('#/components/schemas/')) return resolve(doc.components.schemas[ref.slice('#/components/schemas/'.length)], doc);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v, doc)]));
}

const asUser = (p: Person): SessionUser => ({ id: p.id, email: p.email!, name: p.email!, role: p.role, workspaceId: p.workspaceId });

describe('openapi.json contract', () => {
  let h: DatabaseHandle;
  let w: World;
  let server: { url: string; close(): Promise<void> };
  let doc: Doc;
  const seen = new Set<string>();

  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db, { endpointLimit: 100 });
    server = await startApiServer(h);
    doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  /** Call an operation and check the answer against the document; returns the body. */
  async function call(token: string, operationId: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const entry = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ p, method, op })))
      .find((e) => e.op.operationId === operationId);
    expect(entry, `${operationId} is documented`).toBeDefined();
    const r = await apiClient(server.url, token)(entry!.method.toUpperCase(), path, body, headers);
    const documented = entry!.op.responses[String(r.status)];
    expect(documented, `${operationId} answered ${r.status}, which the document does not list: ${JSON.stringify(r.body)}`).toBeDefined();
    const schema = documented!.content?.['application/json']?.schema;
    if (schema) {
      const check = z.fromJSONSchema(resolve(schema, doc) as never).safeParse(r.body);
      expect(check.success, `${operationId} ${r.status}: ${check.error?.message}`).toBe(true);
    }
    seen.add(`${operationId} ${r.status}`);
    return r.body;
  }

  it('refuses with the document’s validator a body the document does not describe', () => {
    const caseSchema = resolve(doc.paths['/cases/{id}']!.get!.responses['200']!.content!['application/json']!.schema, doc);
    expect(z.fromJSONSchema(caseSchema as never).safeParse({ id: 'x' }).success).toBe(false);
  });

  it('is OpenAPI 3.1 with the JSON Schema dialect of 2020-12', () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/'))).toBe(true);
    // Every reference resolves within the document (OpenAPI resolves `#/…` against the document's root).
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('answers every documented operation as documented', async () => {
    const inMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const token = (await createToken(h.db, asUser(w.ada), { name: 'contract', scope: 'write', expiresAt: inMonth })).token;
    const staff = (await createToken(h.db, asUser(w.casey), { name: 'csm', scope: 'write', expiresAt: inMonth })).token;

    await call(token, 'getMe', '/me');
    const created = await call(
      token,
      'createCase',
      '/cases',
      { warehouse: 'snowflake', inputs: { privatelinkEnabled: true } },
      { 'idempotency-key': 'c-1' },
    );
    await call(token, 'createCase', '/cases', { warehouse: 'snowflake', inputs: { privatelinkEnabled: 'maybe' } });
    await call(token, 'listCases', '/cases?limit=1');
    await call(token, 'listCases', '/cases?limit=0');
    await call(token, 'getCase', `/cases/${created.id}`);
    await call(token, 'getCase', '/cases/00000000-0000-4000-8000-000000000000');
    const submitted = await call(token, 'fireCaseEvent', `/cases/${created.id}/events`, { event: 'submit', version: created.version });
    await call(token, 'fireCaseEvent', `/cases/${created.id}/events`, { event: 'submit', version: created.version });
    const accepted = await call(staff, 'fireCaseEvent', `/cases/${created.id}/events`, { event: 'accept', version: submitted.version });
    await call(token, 'saveCaseStep', `/cases/${created.id}/steps/privatelink-config`, {
      version: accepted.version,
      values: { privatelinkConfig: '{}' },
    });
    await call(token, 'runCasePreflight', `/cases/${created.id}/preflight`);
    await call(token, 'listCaseEvents', `/cases/${created.id}/events`);
    await caseIn(h.db, w, 'snowflake', 'provisioning');
    await call(token, 'listEndpoints', '/endpoints');
    await call(token, 'getUsage', '/usage');
    await call(staff, 'getUsage', `/usage?workspace=${w.globex}`);
    await call('plp_not-a-token', 'getMe', '/me');

    const documented = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    const called = new Set([...seen].map((s) => s.split(' ')[0]));
    expect(documented.filter((id) => !called.has(id))).toEqual([]);
    // Error answers were checked too, not only the happy ones.
    expect([...seen].filter((s) => / (401|404|409|422)$/.test(s)).length).toBeGreaterThanOrEqual(4);
  });
});
