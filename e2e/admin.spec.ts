import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';

// Administration, the audit log and its export, end to end through the UI. The tests build on each other
// (a workspace, then an account in it, then disabling it, then finding all of it in the audit log): run in order.
test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const workspaceName = `Initech ${run}`;
const personName = `Pat ${run}`;
const email = `pat.${run}@initech.example`;
let password = '';

async function signInAs(browser: Browser, who: string, pass?: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who, pass);
  return { context, page };
}

const form = (page: Page, name: string) => page.getByRole('form', { name });

test('an admin creates a workspace and overrides its limits with a reason', async ({ page }) => {
  await signIn(page, ACCOUNTS.admin);
  await expect(page).toHaveURL(/\/admin$/);
  const ws = form(page, 'New workspace');

  // An empty name is refused on the field, which gets the focus and says the rule.
  await ws.getByRole('button', { name: 'Create workspace' }).click();
  await expect(ws.getByRole('alert')).toContainText('Some fields need attention.');
  await expect(ws.getByLabel('Name', { exact: true })).toBeFocused();
  await expect(ws.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(ws.getByText('Give the workspace a name of at least 2 characters.')).toBeVisible();

  await ws.getByLabel('Name', { exact: true }).fill(workspaceName);
  await ws.getByRole('button', { name: 'Create workspace' }).click();
  await expect(ws.getByRole('status')).toHaveText(
    `Workspace “${workspaceName}” (initech-${run}) created with the beta limits: 2 endpoints, 300 GB a month.`,
  );
  await expect(page.getByTestId(`workspace-row-initech-${run}`)).toContainText('300 GB');

  // The same name again is a clear conflict, not a 500.
  await ws.getByLabel('Name', { exact: true }).fill(workspaceName.toUpperCase());
  await ws.getByRole('button', { name: 'Create workspace' }).click();
  await expect(ws.getByText(`A workspace named “${workspaceName.toUpperCase()}” already exists: choose another name.`)).toBeVisible();

  await page.getByRole('link', { name: workspaceName }).click();
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();
  const limits = form(page, 'Override limits');
  await limits.getByLabel('Endpoint limit', { exact: true }).fill('5');
  await limits.getByLabel('Monthly transfer limit (GB)', { exact: true }).fill('600');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await expect(limits.getByLabel('Reason', { exact: true })).toBeFocused();
  await expect(limits.getByText('Give a reason of at least 5 characters: it is kept in the audit log.')).toBeVisible();

  await limits.getByLabel('Reason', { exact: true }).fill('Enterprise pilot signed (ticket 4411)');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await expect(limits.getByRole('status')).toHaveText('Limits saved: 5 endpoints and 600 GB a month.');
  await expect(page.getByTestId('override-reason')).toHaveText('Enterprise pilot signed (ticket 4411)');
  await expect(page.getByTestId('endpoint-usage')).toHaveText('0 of 5 endpoints');
  await snap(page, 'admin-workspace-limits');
});

test('an admin creates an account and sees its one-time password once; it signs in', async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.admin);
  const users = form(page, 'New account');
  await users.getByLabel('Name', { exact: true }).fill(personName);
  await users.getByLabel('E-mail', { exact: true }).fill(`  Pat.${run}@Initech.EXAMPLE `);
  await users.getByLabel('Role', { exact: true }).selectOption({ label: 'Workspace admin' });
  // A customer role needs its workspace: refused on the field until one is chosen.
  await users.getByRole('button', { name: 'Create account' }).click();
  await expect(users.getByLabel('Workspace', { exact: true })).toBeFocused();
  await expect(users.getByText('A workspace admin belongs to one workspace: choose it.')).toBeVisible();
  await users.getByLabel('Workspace', { exact: true }).selectOption({ label: workspaceName });
  await users.getByRole('button', { name: 'Create account' }).click();

  const panel = page.getByTestId('one-time-password');
  await expect(panel).toContainText(`Account created for ${personName} (${email})`);
  await expect(panel).toBeFocused();
  password = (await page.getByTestId('one-time-password-value').textContent()) ?? '';
  expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
  await snap(page, 'admin-one-time-password');
  await expect(page.getByTestId(`user-row-${email}`)).toContainText(workspaceName);

  // The same e-mail again: a clear error on the field.
  await users.getByLabel('Name', { exact: true }).fill('Pat again');
  await users.getByLabel('E-mail', { exact: true }).fill(email.toUpperCase());
  await users.getByLabel('Role', { exact: true }).selectOption({ label: 'CSM' });
  await users.getByRole('button', { name: 'Create account' }).click();
  await expect(users.getByLabel('E-mail', { exact: true })).toBeFocused();
  await expect(users.getByText(`${email} already has an account.`, { exact: false })).toBeVisible();

  // Shown once: gone after a reload, and nowhere in the page.
  await page.reload();
  await expect(page.getByTestId('one-time-password')).toHaveCount(0);
  expect(await page.content()).not.toContain(password);

  const pat = await signInAs(browser, email, password);
  await expect(pat.page).toHaveURL(/\/cases$/);
  await expect(pat.page.getByRole('banner')).toContainText(workspaceName);
  await pat.context.close();
});

test('a disabled account cannot sign in, and its open session ends', async ({ page, browser }) => {
  const pat = await signInAs(browser, email, password);
  await signIn(page, ACCOUNTS.admin);
  await page.getByRole('link', { name: personName }).click();
  await expect(page.getByRole('heading', { level: 1, name: personName })).toBeVisible();
  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('button', { name: 'Keep it enabled' })).toBeFocused();
  await page.getByRole('button', { name: 'Yes, disable' }).click();
  await expect(page.getByTestId('access-message')).toHaveText(
    `${personName} is disabled: they cannot sign in, and open sessions end on their next click.`,
  );
  await expect(page.getByTestId('user-status')).toHaveText('Disabled');
  await snap(page, 'admin-user-disabled');

  await pat.page.goto('/cases');
  await expect(pat.page).toHaveURL(/\/signin/);
  await pat.page.getByLabel('E-mail').fill(email);
  await pat.page.getByLabel('Password').fill(password);
  await pat.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(pat.page.getByTestId('signin-error')).toHaveText('This account is disabled. Ask an administrator to re-enable it.');
  await pat.context.close();
});

test('an admin changes an account’s role; a staff role takes no workspace', async ({ page }) => {
  await signIn(page, ACCOUNTS.admin);
  await page.getByRole('link', { name: personName }).click();
  const role = form(page, 'Role');
  await role.getByLabel('Role', { exact: true }).selectOption({ label: 'CSM' });
  await expect(role.getByTestId('no-workspace')).toHaveText('None: staff see every workspace.');
  await role.getByRole('button', { name: 'Change role' }).click();
  await expect(role.getByRole('status')).toHaveText('Role changed to CSM. It applies from their next click.');
  await expect(page.getByTestId('user-role')).toHaveText('CSM');
  // Their own account: the admin is told why they cannot demote or disable themselves.
  await page.goto('/admin');
  await page.getByRole('main').getByRole('link', { name: 'Alex Admin' }).click();
  await expect(page.getByRole('heading', { name: 'This is your account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Disable account' })).toHaveCount(0);
});

test('the audit log filters the admin’s changes and exports them as CSV', async ({ page }) => {
  await signIn(page, ACCOUNTS.admin);
  await page.goto('/audit');
  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Action', { exact: true }).selectOption('user.create');
  await filters.getByLabel('Actor', { exact: true }).fill('alex@');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/action=user\.create/);
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain('user.create');
  await expect(rows.filter({ hasText: 'alex@portal.example' })).toHaveCount(await rows.count());
  await rows.first().getByText('Show').click();
  await expect(rows.first()).toContainText(`"email": "${email}"`);
  await expect(rows.first()).toContainText('"role": "customer_admin"');
  await snap(page, 'audit-filtered');

  const download = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-log-\d{8}-\d{4}Z\.csv$/);
  const csv = await readFile(await file.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe(
    'id,at_utc,actor_email,actor_role,actor_id,action,target_type,target_id,workspace,workspace_id,request_id,source_ip,before,after',
  );
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((l) => l.includes(',alex@portal.example,admin,') && l.includes(',user.create,'))).toBe(true);
  expect(csv).toContain(email);

  // Workspace filter: its creation and its limit override, with the reason.
  await page.goto('/audit');
  await filters.getByLabel('Workspace', { exact: true }).selectOption({ label: workspaceName });
  await filters.getByLabel('Action', { exact: true }).selectOption('workspace.*');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('workspace.limits_override');
  await expect(rows.nth(1)).toContainText('workspace.create');

  // A filter that is not valid is explained on its field, which gets the focus; nothing is listed.
  await page.goto('/audit?from=2026-02-30&to=2026-01-01');
  await expect(page.getByTestId('filter-error')).toBeVisible();
  await expect(filters.getByLabel('From (UTC day)', { exact: true })).toBeFocused();
  await expect(page.getByText('The “from” date must be a real day written YYYY-MM-DD (UTC), like 2025-03-31.')).toBeVisible();
  await expect(rows).toHaveCount(0);
});

test('a customer cannot open the audit log, its export or administration', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  for (const path of ['/audit', '/admin', '/admin/users/00000000-0000-4000-8000-000000000000']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'This page is not available to your role' })).toBeVisible();
  }
  const res = await page.request.get('/api/audit/export');
  expect(res.status()).toBe(403);
  expect(await res.text()).not.toContain('user.create');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Audit log|Admin/ })).toHaveCount(0);
});

test('a workspace member is notified of changes on their cases, and can mark them read', async ({ page, browser }) => {
  // Ada (Acme's admin) submits a case: Victor, Acme's read-only member, hears about it.
  const ada = await browser.newContext();
  const ap = await ada.newPage();
  await signIn(ap, ACCOUNTS.customerAdmin);
  await ap.goto('/cases/new');
  await ap.getByRole('button', { name: 'Set up Snowflake' }).click();
  await ap.waitForURL(/\/setup/);
  await ap.locator('#field-privatelinkEnabled').check();
  await ap.getByRole('button', { name: 'Next', exact: true }).click();
  await ap.getByRole('button', { name: 'Submit request' }).click();
  await ap.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const reference = (await ap.getByRole('heading', { level: 1 }).textContent())!.split(' ')[0]!;
  await ada.close();

  await signIn(page, ACCOUNTS.customerViewer);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Notifications/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByTestId('unread-summary')).toContainText(/^\d+ unread\./);
  await expect(page.getByTestId('notification').filter({ hasText: reference }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByTestId('unread-summary')).toContainText('You are up to date.');
});

// axe-core on these pages, errors shown included: no serious or critical violation (WCAG 2.1 A/AA rules).
test('administration, audit and notification pages pass axe', async ({ page }) => {
  const check = async (what: string) => {
    // After a client-side navigation Next sets the document title a moment later: wait for it before judging.
    // Next swaps the <title> when a client-side navigation's payload has arrived: let it settle first.
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => document.title.includes('PrivateLink Portal'));
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${what}: ${v.id} – ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  };
  await signIn(page, ACCOUNTS.admin);
  await form(page, 'New account').getByRole('button', { name: 'Create account' }).click();
  await expect(form(page, 'New account').getByRole('alert')).toBeVisible();
  await check('admin with errors');
  await page.getByRole('link', { name: workspaceName }).click();
  await form(page, 'Override limits').getByRole('button', { name: 'Save limits' }).click();
  await expect(form(page, 'Override limits').getByRole('alert')).toBeVisible();
  await check('workspace');
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Casey CSM' }).click();
  await check('account');
  await page.goto('/audit?from=2026-02-30');
  await check('audit with errors');
  await page.goto('/audit');
  await check('audit');
  await page.goto('/notifications');
  await check('notifications');
});
