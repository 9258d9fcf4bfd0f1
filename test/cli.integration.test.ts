import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import type { SessionUser } from '@/lib/auth/session-account';
import { applyEvent } from '@/lib/cases/service';
import { createToken } from '@/lib/tokens';
import { startApiServer } from './support/api-server';
import { createTestDatabase } from './support/db';
import { caseIn, type Person, seedWorld, type World } from './support/world';

// The `plp` command as a user runs it (node cli/plp.mjs, the package's bin), against the API over HTTP.
const CLI = path.resolve(__dirname, '..', 'cli', 'plp.mjs');
const asUser = (p: Person): SessionUser => ({ id: p.id, email: p.email!, name: p.email!, role: p.role, workspaceId: p.workspaceId });

describe('plp command line', () => {
  let h: DatabaseHandle;
  let w: World;
  let server: { url: string; close(): Promise<void> };
  const configDir = mkdtempSync(path.join(tmpdir(), 'plp-cli-'));
  const env = { ...process.env, PLP_CONFIG_DIR: configDir, PLP_TOKEN: '', PLP_URL: '' };

  function start(args: string[]): {
    child: ChildProcess;
    out: () => string;
    done: Promise<{ code: number | null; out: string; err: string }>;
  } {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, out, err })),
    );
    return { child, out: () => out, done };
  }
  const run = (args: string[]) => start(args).done;
  async function until(read: () => string, pattern: RegExp) {
    const deadline = Date.now() + 20_000;
    while (!pattern.test(read())) {
      if (Date.now() > deadline) throw new Error(`never printed ${pattern}: ${read()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db, { endpointLimit: 100 });
    server = await startApiServer(h);
    const inMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const { token } = await createToken(h.db, asUser(w.ada), { name: 'cli', scope: 'write', expiresAt: inMonth });
    const login = await run(['login', '--url', server.url, '--token', token]);
    expect(login.err).toBe('');
    expect(login.code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('login keeps the URL and token in the config directory, readable by the user alone', () => {
    const file = path.join(configDir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: server.url, token: expect.stringMatching(/^plp_/) });
  });

  it('login refuses a token the portal does not know, saying why, and exits 2', async () => {
    const r = await run(['login', '--url', server.url, '--token', 'plp_nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not known/);
  });

  it('creates and submits a case from a file, then lists it as a table and as JSON', async () => {
    const file = path.join(configDir, 'inputs.json');
    writeFileSync(file, JSON.stringify({ privatelinkEnabled: true }));
    const created = await run(['--json', 'cases', 'create', '--warehouse', 'snowflake', '--from-file', file]);
    expect(created.code).toBe(0);
    const c = JSON.parse(created.out);
    expect(c).toMatchObject({ warehouse: 'snowflake', state: 'submitted', nextActor: 'csm' });
    const table = await run(['cases', 'list']);
    expect(table.out.split('\n')[0]).toMatch(/^REFERENCE\s+ID\s+WAREHOUSE\s+REGION\s+STATE\s+NEXT/);
    expect(table.out).toContain(c.reference);
    const json = JSON.parse((await run(['--json', 'cases', 'list'])).out);
    expect(json.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('answers bad answers with the field, the rule and the fix, and exits 2', async () => {
    const file = path.join(configDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ privatelinkEnabled: false }));
    const r = await run(['cases', 'create', '--warehouse', 'snowflake', '--from-file', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/body\.inputs\.privatelinkEnabled: .+ \[.+\]/);
  });

  it('watch prints each change with who acts next and exits 0 when the case goes active', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'provisioning');
    const watch = start(['cases', 'watch', c.id, '--interval', '0.1']);
    await until(watch.out, /provisioning\s+portal acts next/);
    await applyEvent(h.db, 'reconciler', { caseId: c.id, event: 'activate' });
    const r = await watch.done;
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[2]),
    ).toEqual(['provisioning', 'active']);
    expect(r.out).toMatch(/active\s+nobody/);
  });

  it('watch exits 1 when the case fails', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'provisioning');
    const watch = start(['cases', 'watch', c.id, '--interval', '0.1']);
    await until(watch.out, /provisioning/);
    await applyEvent(h.db, 'reconciler', { caseId: c.id, event: 'fail', note: 'The edge account refused the endpoint.' });
    const r = await watch.done;
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed\s+engineer acts next/);
  });
});
