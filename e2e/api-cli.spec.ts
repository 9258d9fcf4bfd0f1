import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { snowflakeSupportInPanel, staffApi } from './wizard-support';

// A Snowflake case from creation to active with the `plp` command line alone (docs/design.md#the-command-line): the
// customer makes a token on their account page and drives the case with plp; the CSM and the engineer act in the
// portal; Snowflake support's act happens in the sandbox panel, as the customer would ask for it.

const uniq = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const CLI = path.resolve('cli', 'plp.mjs');

function plp(configDir: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, PLP_CONFIG_DIR: configDir, PLP_TOKEN: '', PLP_URL: '' } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err }))) };
}

async function ok(configDir: string, args: string[]) {
  const r = await plp(configDir, args).done;
  expect(r.err, `plp ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.out;
}

async function staffPress(browser: Browser, email: string, caseId: string, event: string) {
  const s = await staffApi(browser, email);
  await s.page.goto(`/cases/${caseId}`);
  await s.page.getByTestId(`action-${event}`).click();
  await expect(s.page.getByTestId('action-result')).toContainText(/the case is now/);
  await snap(s.page, `api-cli-staff-${event}`);
  await s.close();
}

/** axe-core on a page: no serious or critical violation (WCAG 2.1 A/AA), as e2e/a11y.spec.ts checks the others. */
async function expectAccessible(page: Page, what: string) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} – ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function makeToken(page: Page, name: string): Promise<string> {
  await page.goto('/account');
  await page.getByRole('link', { name: 'Manage API tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expectAccessible(page, 'API tokens');
  // A refused expiry names the field and the rule, and makes nothing.
  await page.getByLabel('Name').fill('too long');
  await page.getByLabel('Expires on (UTC)').evaluate((el: HTMLInputElement) => {
    el.removeAttribute('max');
    el.value = '2099-01-01';
  });
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('#expiresAt-error')).toContainText('at most a year');
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  await snap(page, 'api-cli-token-refused');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Scope').selectOption('write');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^plp_/);
  await snap(page, 'api-cli-token-created');
  return token;
}

test('a Snowflake case goes from creation to active with plp alone, and `cases watch` exits 0', async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  const configDir = mkdtempSync(path.join(tmpdir(), 'plp-e2e-'));
  try {
    await signIn(page, ACCOUNTS.customerAdmin);
    const token = await makeToken(page, `e2e-cli-${uniq()}`);

    await ok(configDir, ['login', '--url', baseURL!, '--token', token]);
    expect(statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);

    writeFileSync(path.join(configDir, 'inputs.json'), JSON.stringify({ privatelinkEnabled: true }));
    const created = JSON.parse(
      await ok(configDir, [
        '--json',
        'cases',
        'create',
        '--warehouse',
        'snowflake',
        '--region',
        'us-east-1',
        '--from-file',
        path.join(configDir, 'inputs.json'),
      ]),
    );
    expect(created).toMatchObject({ state: 'submitted', nextActor: 'csm' });
    const caseId: string = created.id;

    // The CSM accepts it in the portal.
    await staffPress(browser, ACCOUNTS.csm, caseId, 'accept');
    const shown = await ok(configDir, ['cases', 'show', caseId]);
    expect(shown).toMatch(/state:\s+awaiting_customer/);
    expect(shown).toMatch(/details:\s+privatelink-config/);

    // Snowflake support authorizes the edge account (the sandbox's Snowflake), as the customer asked it to.
    const locator = `sf${uniq()}`;
    const vpceId = `com.amazonaws.vpce.us-east-1.vpce-svc-0${Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
    await snowflakeSupportInPanel(page, caseId, vpceId);

    const config = JSON.stringify({
      'privatelink-account-name': `${locator}.us-east-1.privatelink`,
      'privatelink-vpce-id': vpceId,
      'privatelink-account-url': `${locator}.us-east-1.privatelink.snowflakecomputing.com`,
      'privatelink_ocsp-url': `ocsp.${locator}.us-east-1.privatelink.snowflakecomputing.com`,
      'regionless-privatelink-account-url': `org-${locator}.privatelink.snowflakecomputing.com`,
    });
    writeFileSync(path.join(configDir, 'details.json'), JSON.stringify({ 'privatelink-config': { privatelinkConfig: config } }));
    const sent = JSON.parse(
      await ok(configDir, ['--json', 'cases', 'details', caseId, '--from-file', path.join(configDir, 'details.json')]),
    );
    // Every check passed, so the portal requested provisioning itself: an engineer approves next.
    expect(sent).toMatchObject({ state: 'pending_approval', nextActor: 'engineer' });

    const watch = plp(configDir, ['cases', 'watch', caseId, '--interval', '1', '--timeout', '180']);
    await staffPress(browser, ACCOUNTS.engineer, caseId, 'approve');
    const watched = await watch.done;
    expect(watched.err).toBe('');
    expect(watched.code).toBe(0);
    const states = watched.out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[2]);
    expect(states[0]).toBe('pending_approval');
    expect(states.at(-1)).toBe('active');
    expect(watched.out).toMatch(/engineer acts next/);

    const endpoints = await ok(configDir, ['endpoints', 'list']);
    expect(endpoints).toContain(created.reference);
    await page.goto(`/cases/${caseId}`);
    await snap(page, 'api-cli-case-active');
    await page.goto('/docs/api');
    await expect(page.getByRole('heading', { name: 'Automate a connection' })).toBeVisible();
    await expectAccessible(page, 'API reference');
    await snap(page, 'api-reference');
    await page.goto('/account/tokens');
    await expect(page.getByRole('cell', { name: /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/ }).first()).toBeVisible();
    await snap(page, 'api-cli-tokens-used');
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
});
