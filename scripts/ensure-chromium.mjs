#!/usr/bin/env node
// pretest: make sure a Chromium exists for Playwright. This machine cannot download Playwright's browsers, so when none
// is found and apt-get can run, install Debian's `chromium` package.
import { spawnSync } from 'node:child_process';
import { findChromium, playwrightOwnChromium } from './chromium.mjs';

const found = findChromium() ?? (await playwrightOwnChromium());
if (found) {
  console.log(`[pretest] Chromium: ${found}`);
  process.exit(0);
}
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
if (!hasApt) {
  console.error('[pretest] No Chromium found. Install one and set CHROMIUM_PATH to its executable.');
  process.exit(1);
}
const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
console.log("[pretest] No Chromium found: installing Debian's chromium package…");
const run = (args) =>
  spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
if (run(['apt-get', 'update', '-qq']).status !== 0 || run(['apt-get', 'install', '-y', '-qq', 'chromium']).status !== 0) {
  console.error('[pretest] Installing chromium failed. Install it by hand, or set CHROMIUM_PATH.');
  process.exit(1);
}
const installed = findChromium();
if (!installed) {
  console.error('[pretest] chromium installed but not found at /usr/bin/chromium; set CHROMIUM_PATH.');
  process.exit(1);
}
console.log(`[pretest] Chromium: ${installed}`);
