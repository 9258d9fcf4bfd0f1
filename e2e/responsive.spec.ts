import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { caseIdOf, registerInPanel, staffApi, submitRedshiftCase } from './wizard-support';

// Every page of the portal fits a phone (360 and 390 px) and a laptop (1,280 px) without a page-level horizontal
// scrollbar, for each role that sees it, with long unbroken text in what the page shows. Code blocks and tables may
// scroll, inside their own box. Screenshots at 390 and 1,280 px go to e2e-artifacts/responsive-*.png.

const WIDTHS = [360, 390, 1280] as const;
// A note or a pasted value without a single space: it must wrap, not widen the page.
const LONG = `unbroken-${'x'.repeat(320)}-end`;

/** The page at each width: the document is never wider than the window. Screenshots at 390 and 1,280 px when named. */
async function fits(page: Page, what: string, shot?: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect.soft(m.scroll, `${what} at ${width} px: document ${m.scroll} px wide`).toBeLessThanOrEqual(m.inner);
    if (shot && width !== 360) await snap(page, `responsive-${shot}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function visit(page: Page, path: string, what: string, shot?: string) {
  const res = await page.goto(path);
  expect(res?.status(), `${path} answers`).toBeLessThan(400);
  await fits(page, what, shot);
}

test.describe.configure({ timeout: 240_000 });

test('the sign-in page fits every width', async ({ page }) => {
  await visit(page, '/signin', 'sign-in', 'signin');
});

test('at phone width the navigation is a Menu button that opens and closes from the keyboard', async ({ page }) => {
  await signIn(page, ACCOUNTS.engineer);
  await page.setViewportSize({ width: 390, height: 800 });
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  // The closed header is one row: brand and button.
  const header = await page.locator('header').boundingBox();
  expect(header!.height).toBeLessThan(70);
  await snap(page, 'responsive-nav-closed-390');
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await snap(page, 'responsive-nav-open-390');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  // Opened again, a link leads to its page and the menu closes there.
  await menu.click();
  await nav.getByRole('link', { name: 'Queue' }).click();
  await page.waitForURL(/\/queue$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  // From the md breakpoint up there is no button: the links are in the bar.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(menu).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Audit log' })).toBeVisible();
});

test("every step of a customer's drafts fits, long unbroken text included", async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await visit(page, '/cases/new', 'new case', 'cases-new');
  const drafts: Record<string, string> = {
    Databricks: 'workspace',
    'RDS Postgres': 'nlb-service',
    Redshift: 'cluster',
    Snowflake: 'account',
  };
  for (const [name, step] of Object.entries(drafts)) {
    await page.goto('/cases/new');
    await page.getByRole('button', { name: `Set up ${name}` }).click();
    await page.waitForURL(/\/setup/);
    const id = caseIdOf(page);
    const slug = name.toLowerCase().replace(/ /g, '-');
    if (name === 'RDS Postgres') {
      // A pasted value without spaces, quoted back in its error message and on the review.
      await page.locator('#field-endpointServiceName').fill(LONG);
      await page.locator('#field-endpointServiceName').blur();
      await expect(page.locator('#field-endpointServiceName-error')).toContainText('unbroken-');
      await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');
    }
    await visit(page, `/cases/${id}/setup?step=${step}`, `${name} wizard, ${step}`, `wizard-${slug}-${step}`);
    await visit(page, `/cases/${id}/setup?step=review`, `${name} wizard, review`, `wizard-${slug}-review`);
  }
});

test('every page fits 360–1,280 px for each role that sees it, a case with a long unbroken message included', async ({ page, browser }) => {
  test.setTimeout(400_000);
  // A submitted Redshift case, accepted, with a staff message of long unbroken text: the details step and the case page.
  const caseId = await submitRedshiftCase(page, ACCOUNTS.customerAdmin, { nodeType: 'ra3.xlplus', port: '5439' });
  const csm = await staffApi(browser, ACCOUNTS.csm);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  await csm.page.goto(`/cases/${caseId}`);
  // A message the customer reads, so the long text is on every role's case page.
  const form = csm.page.getByTestId('conversation-form');
  await form.getByRole('textbox', { name: 'Message to the customer' }).fill(LONG);
  await form.getByRole('button', { name: 'Send to the customer' }).click();
  await expect(csm.page.getByTestId('conversation-result')).toContainText('Message sent to the customer');
  await csm.page.reload();
  await expect(csm.page.getByTestId('timeline')).toContainText(LONG);
  await csm.close();
  await visit(page, `/cases/${caseId}/setup`, 'Redshift wizard, details', 'wizard-redshift-details');
  await visit(page, `/cases/${caseId}`, 'case page, workspace admin', 'case-customer-admin');
  for (const path of ['/cases', '/usage', '/account', '/notifications']) await visit(page, path, `${path}, workspace admin`);

  // Staff and the read-only member on the same case and on their pages.
  const roles: { who: string; email: string; pages: string[] }[] = [
    { who: 'read-only member', email: ACCOUNTS.customerViewer, pages: ['/cases', '/usage', '/account', '/notifications'] },
    { who: 'CSM', email: ACCOUNTS.csm, pages: ['/cases', '/queue', '/endpoints', '/usage', '/outbox', '/account', '/notifications'] },
    {
      who: 'engineer',
      email: ACCOUNTS.engineer,
      pages: ['/cases', '/queue', '/endpoints', '/usage', '/audit', '/outbox', '/account', '/notifications'],
    },
    {
      who: 'administrator',
      email: ACCOUNTS.admin,
      pages: ['/cases', '/queue', '/endpoints', '/usage', '/audit', '/outbox', '/admin', '/account', '/notifications'],
    },
  ];
  for (const r of roles) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await signIn(p, r.email);
    const slug = r.who.replace(/[^a-z]+/gi, '-').toLowerCase();
    await visit(p, `/cases/${caseId}`, `case page, ${r.who}`, `case-${slug}`);
    for (const path of r.pages) {
      await visit(p, path, `${path}, ${r.who}`, r.who === 'engineer' || path === '/admin' ? slug + path.replace(/\//g, '-') : undefined);
    }
    if (r.who === 'administrator') {
      // An administrator's user and workspace pages, reached from the admin page's own links.
      await p.goto('/admin');
      const user = await p.locator('a[href^="/admin/users/"]').first().getAttribute('href');
      const workspace = await p.locator('a[href^="/admin/workspaces/"]').first().getAttribute('href');
      await visit(p, user!, 'admin user page, administrator', 'admin-user');
      await visit(p, workspace!, 'admin workspace page, administrator', 'admin-workspace');
    }
    await ctx.close();
  }
});

test('the Databricks step after provisioning fits, its curl command scrolling inside its box', async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.otherCustomerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Databricks' }).click();
  await page.waitForURL(/\/setup/);
  await page.locator('#field-backendPrivateLink').check();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = caseIdOf(page);
  const csm = await staffApi(browser, ACCOUNTS.csm);
  const approver = await staffApi(browser, ACCOUNTS.engineer2);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  await expect.poll(async () => (await approver.caseState(caseId)).state, { timeout: 60_000 }).toBe('pending_approval');
  expect((await approver.event(caseId, 'approve')).status()).toBe(200);
  await expect.poll(async () => (await approver.caseState(caseId)).state, { timeout: 60_000 }).toBe('awaiting_customer_action');
  await csm.close();
  await approver.close();
  await registerInPanel(page, caseId);
  await visit(page, `/cases/${caseId}`, 'Databricks case page, waiting for the customer', 'case-databricks-waiting');
  await page.goto(`/cases/${caseId}/setup`);
  const curl = page.locator('pre', { hasText: 'curl -X POST' });
  await expect(curl).toBeVisible();
  await fits(page, 'Databricks wizard, after provisioning', 'wizard-databricks-after-endpoint');
  // The command is wider than its box at 390 px: the box scrolls, the page does not.
  await page.setViewportSize({ width: 390, height: 900 });
  const box = await curl.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  expect(box.scroll).toBeGreaterThan(box.client);
  await page.setViewportSize({ width: 1280, height: 720 });
});
