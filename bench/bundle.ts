/**
 * First-load JavaScript per route: load each page once in Chromium against the production build and
 * add up the gzip size of every JavaScript file it fetched — what a user's browser downloads on a first visit.
 * Budget: the wizard under 180 kB gzip.
 *
 *   npm run build && npm run bench:bundle
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { BENCH_PASSWORD, prepareDemo } from './fixture';
import { startServer } from './support';

const BUDGET_KB: Record<string, number> = { wizard: 180 };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main() {
  const { caseId, dataDir } = await prepareDemo(path.resolve(import.meta.dirname, 'out', 'bundle'));
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3211), { DATA_DIR: dataDir, RECONCILER: 'off', SEED_DEMO: '0' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const routes: [string, string, string | null][] = [
      ['sign-in', '/signin', null],
      ['customer cases', '/cases', 'ada@acme.example'],
      ['new case', '/cases/new', 'ada@acme.example'],
      ['wizard', `/cases/${caseId}/setup`, 'ada@acme.example'],
      ['case page', `/cases/${caseId}`, 'ada@acme.example'],
      ['queue', '/queue', 'casey@portal.example'],
      ['endpoints', '/endpoints', 'erin@portal.example'],
    ];
    console.log('first-load JavaScript, gzip (production build)');
    let over = false;
    for (const [name, route, who] of routes) {
      const ctx = await browser.newContext({ baseURL: server.base });
      if (who) {
        const p = await ctx.newPage();
        await p.goto('/signin');
        await p.getByLabel('E-mail').fill(who);
        await p.getByLabel('Password').fill(BENCH_PASSWORD);
        await p.getByRole('button', { name: 'Sign in', exact: true }).click();
        await p.waitForURL((u) => !u.pathname.startsWith('/signin'));
        await p.close();
      }
      const page = await ctx.newPage();
      const sizes = new Map<string, number>();
      page.on('response', async (res) => {
        if (res.request().resourceType() !== 'script') return;
        try {
          sizes.set(res.url(), gzipSync(await res.body()).length);
        } catch {
          /* redirected or aborted */
        }
      });
      await page.goto(route, { waitUntil: 'networkidle' });
      const kb = [...sizes.values()].reduce((a, b) => a + b, 0) / 1024;
      const budget = BUDGET_KB[name];
      if (budget && kb > budget) over = true;
      console.log(
        `${name.padEnd(16)} ${kb.toFixed(1).padStart(7)} kB in ${String(sizes.size).padStart(2)} files${budget ? `  (budget ${budget} kB: ${kb <= budget ? 'within' : 'OVER'})` : ''}`,
      );
      await ctx.close();
    }
    if (over) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
