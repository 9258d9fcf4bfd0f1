/**
 * Lighthouse (Debian Chromium, headless) on the sign-in page, the wizard, /endpoints and the case page: performance
 * and accessibility scores of the production build with Lighthouse's own desktop preset (its desktop screen, user
 * agent and simulated fast-4G throttling; the target) and with its default mobile settings (slow 4G, a 4× slower CPU;
 * reported). Each report is kept in bench/out/lighthouse/ for its details. docs/deploy.md#benchmarks.
 *
 *   npm run build && npm run bench:lighthouse
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
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
      ['case page', `/cases/${caseId}`, customer],
    ];
    const reports = path.resolve(import.meta.dirname, 'out', 'lighthouse', 'reports');
    mkdirSync(reports, { recursive: true });
    const verdicts: string[] = [];
    for (const [preset, config] of [
      ['desktop', desktopConfig],
      ['mobile', { extends: 'lighthouse:default' }],
    ] as const) {
      console.log(`\nLighthouse, ${preset} preset, scores out of 100`);
      for (const [name, route, cookie] of pages) {
        // A trace Lighthouse could not read (NO_NAVSTART and the like, most often on a fresh Chromium's first load) is
        // its own failure, not the page's: it says to run again, so each page gets up to three tries.
        let result: Awaited<ReturnType<typeof lighthouse>>;
        for (let attempt = 1; ; attempt++) {
          result = await lighthouse(
            `${server.base}${route}`,
            {
              port: chrome.port,
              output: 'json',
              logLevel: 'error',
              onlyCategories: ['performance', 'accessibility'],
              extraHeaders: cookie ? { cookie } : undefined,
            },
            config,
          );
          const failed = result?.lhr.runtimeError;
          if (!failed || attempt === 3) break;
          console.log(`${name.padEnd(10)} Lighthouse could not measure (${failed.code}); running it again`);
        }
        if (!result) throw new Error(`Lighthouse gave no result for ${route}`);
        writeFileSync(path.join(reports, `${preset}-${name.replace(/\W+/g, '-')}.json`), JSON.stringify(result.lhr));
        const perf = Math.round((result.lhr.categories.performance?.score ?? 0) * 100);
        const a11y = Math.round((result.lhr.categories.accessibility?.score ?? 0) * 100);
        const audit = (id: string) => result.lhr.audits[id]?.displayValue ?? '?';
        console.log(
          `${name.padEnd(10)} performance ${String(perf).padStart(3)}  accessibility ${String(a11y).padStart(3)}  FCP ${audit('first-contentful-paint')}  LCP ${audit('largest-contentful-paint')}  TBT ${audit('total-blocking-time')}  CLS ${audit('cumulative-layout-shift')}`,
        );
        if (preset === 'desktop')
          verdicts.push(
            `  ${name.padEnd(10)} performance ${perf} ≥ 95: ${perf >= 95 ? 'met' : 'NOT met'}; accessibility ${a11y} = 100: ${a11y === 100 ? 'met' : 'NOT met'}`,
          );
      }
    }
    console.log('\ntargets (desktop preset)');
    for (const v of verdicts) console.log(v);
  } finally {
    await chrome.kill();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
