/**
 * Lighthouse (Debian Chromium, headless) on the sign-in page, the wizard and /endpoints: performance and accessibility
 * scores of the production build (desktop settings, no throttling beyond Lighthouse's simulated defaults).
 *
 *   npm run build && npm run bench:lighthouse
 */
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { BENCH_PASSWORD, prepareDemo } from './fixture';
import { signInCookie, startServer } from './support';

async function main() {
  const { caseId, dataDir } = await prepareDemo(path.resolve(import.meta.dirname, 'out', 'lighthouse'));
  const server = await startServer(Number(process.env.BENCH_PORT ?? 3212), { DATA_DIR: dataDir, RECONCILER: 'off', SEED_DEMO: '0' });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    const customer = await signInCookie(server.base, 'ada@acme.example', BENCH_PASSWORD);
    const engineer = await signInCookie(server.base, 'erin@portal.example', BENCH_PASSWORD);
    const pages: [string, string, string | undefined][] = [
      ['sign-in', '/signin', undefined],
      ['wizard', `/cases/${caseId}/setup`, customer],
      ['endpoints', '/endpoints', engineer],
    ];
    console.log('Lighthouse (desktop preset), scores out of 100');
    for (const [name, route, cookie] of pages) {
      const result = await lighthouse(
        `${server.base}${route}`,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility'],
          formFactor: 'desktop',
          screenEmulation: { disabled: true },
          extraHeaders: cookie ? { cookie } : undefined,
        },
        { extends: 'lighthouse:default', settings: { formFactor: 'desktop', screenEmulation: { disabled: true } } },
      );
      const cats = result?.lhr.categories;
      const perf = Math.round((cats?.performance?.score ?? 0) * 100);
      const a11y = Math.round((cats?.accessibility?.score ?? 0) * 100);
      const lcp = result?.lhr.audits['largest-contentful-paint']?.displayValue ?? '?';
      console.log(`${name.padEnd(10)} performance ${String(perf).padStart(3)}  accessibility ${String(a11y).padStart(3)}  LCP ${lcp}`);
    }
  } finally {
    await chrome.kill();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
