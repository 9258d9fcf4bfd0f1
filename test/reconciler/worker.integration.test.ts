import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { createTestDatabase, hasRealPostgres } from '../support/db';
import { seedWorld } from '../support/world';
import { caseRow, caseWith, customerPart } from './support';

const TSX = path.resolve('node_modules/.bin/tsx');

/** `npm run worker`, as package.json runs it. */
function worker(env: Record<string, string | undefined>) {
  const clean = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const child = spawn(TSX, ['--conditions=react-server', 'lib/reconciler/worker.ts'], { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code: number | null) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('npm run worker', () => {
  it('refuses to start without DATABASE_URL, explaining that npm start already runs the reconciler', async () => {
    const w = worker({ DATABASE_URL: undefined });
    expect(await w.exited).toBe(1);
    expect(w.output()).toContain('DATABASE_URL is not set');
    expect(w.output()).toContain('`npm start` already runs the reconciler inside the server');
  }, 30_000);

  describe.runIf(hasRealPostgres)('with a PostgreSQL server', () => {
    let h: DatabaseHandle & { url?: string };
    beforeAll(async () => {
      h = await createTestDatabase({ real: true });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('provisions a case, then stops cleanly on SIGTERM', async () => {
      const world = await seedWorld(h.db);
      const c = await caseWith(h.db, world, 'redshift', 'provisioning', world.ada, await customerPart(h.db, world.ada, 'redshift'));
      const w = worker({ DATABASE_URL: h.url, SANDBOX_DELAY_MS: '0', RECONCILER_POLL_MS: '50', RECONCILER_IDLE_MS: '50' });
      const until = Date.now() + 20_000;
      while ((await caseRow(h.db, c.id)).state !== 'active' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect((await caseRow(h.db, c.id)).state).toBe('active');
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.output()).toContain('[reconciler] started as');
    }, 40_000);
  });
});
