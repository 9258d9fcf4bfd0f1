import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { caseIdOf, fillField, next, registerInPanel, staffApi, submitRedshiftCase } from './wizard-support';

// What a newcomer ran into: a case page that never updated by itself, answers lost on a quick reload, a Databricks
// case activated by autosave, a hydration error on the Redshift setup page. Each test watches observed state only.

async function startCase(page: Page, name: string) {
  await page.goto('/cases/new');
  await page.getByRole('button', { name: `Set up ${name}` }).click();
  await page.waitForURL(/\/setup/);
}

/**
 * The time of the reconciler's first look at a case's endpoint after `after` (ISO), from the engineers' CSV export:
 * the reconciler stamps last_reconciled_at on every look, so this waits for observed progress, not for a duration.
 */
async function lookAfter(request: APIRequestContext, endpointId: string, after: string): Promise<string> {
  let seen = '';
  await expect(async () => {
    const res = await request.get(`/api/endpoints/export?q=${endpointId}`);
    expect(res.status()).toBe(200);
    const line = (await res.text()).split('\n').find((l) => l.startsWith(endpointId)) ?? '';
    // last_reconciled_at, then created_at: the first two timestamps of the row.
    const [reconciled] = line.match(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g) ?? [];
    expect(reconciled && Date.parse(reconciled) > Date.parse(after)).toBe(true);
    seen = reconciled!;
  }).toPass({ timeout: 30_000 });
  return seen;
}

test.describe('a case page keeps itself current', () => {
  test.describe.configure({ timeout: 120_000 });

  test('the customer sees the CSM accept, and the CSM sees the new case in the queue, without reloading', async ({ page, browser }) => {
    const csm = await staffApi(browser, ACCOUNTS.csm);
    await csm.page.goto('/queue');
    await expect(csm.page.getByRole('heading', { name: 'Work queue' })).toBeVisible();

    const caseId = await submitRedshiftCase(page, ACCOUNTS.customerAdmin, { nodeType: 'ra3.xlplus', port: '5439' });
    await expect(page.getByTestId('case-standing')).toHaveText('Waiting for your CSM to review the request');
    const { reference } = await csm.caseState(caseId);
    // The queue, open since before the case was submitted, lists it by itself.
    await expect(csm.page.getByRole('link', { name: reference, exact: true })).toBeVisible({ timeout: 15_000 });
    const badge = page.getByRole('link', { name: /^Notifications/ });
    const unreadBefore = Number((await badge.getAttribute('aria-label'))?.match(/(\d+) unread/)?.[1] ?? 0);

    // The CSM accepts through the case page in their own browser.
    await csm.page.goto(`/cases/${caseId}`);
    await csm.page.getByTestId('action-accept').click();
    await expect(csm.page.getByTestId('action-result')).toContainText('the case is now');

    // The customer's page, never reloaded, shows the new state and the notification.
    await expect(page.getByTestId('case-standing')).toHaveText(/^Waiting for you: /, { timeout: 15_000 });
    await expect(page.getByRole('link', { name: 'Open the next step' })).toBeVisible();
    await expect(badge).toHaveAttribute('aria-label', `Notifications, ${unreadBefore + 1} unread`, { timeout: 15_000 });
    await snap(page, 'live-case-accepted');
    await csm.close();
  });

  test("asking about another workspace's case is a 404, like its page", async ({ page, browser }) => {
    const caseId = await submitRedshiftCase(page, ACCOUNTS.customerAdmin, { nodeType: 'ra3.xlplus', port: '5439' });
    const mine = await page.request.get(`/api/changes?case=${caseId}`);
    expect(mine.status()).toBe(200);
    const etag = mine.headers().etag!;
    expect((await page.request.get(`/api/changes?case=${caseId}`, { headers: { 'If-None-Match': etag } })).status()).toBe(304);

    const other = await browser.newContext();
    const op = await other.newPage();
    await signIn(op, ACCOUNTS.otherCustomerAdmin);
    expect((await other.request.get(`/api/changes?case=${caseId}`)).status()).toBe(404);
    expect((await other.request.get('/api/changes?list=queue')).status()).toBe(403);
    const bad = await other.request.get('/api/changes?case=PL-1001');
    expect(bad.status()).toBe(422);
    expect((await bad.json()).fieldErrors.case).toEqual(['case must be a case id (a UUID).']);
    await other.close();
  });
});

test('the last answer typed survives an immediate reload', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await startCase(page, 'Redshift');
  await fillField(page, 'port', '5439');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');
  // Typed, then the page reloaded before the autosave's pause ran out.
  await page.locator('#field-port').fill('8201');
  await page.reload();
  await expect(page.locator('#field-port')).toHaveValue('8201');
  // Saved for real, not only kept by this tab: a new tab (its own session storage) gets it from the server.
  const other = await page.context().newPage();
  await expect(async () => {
    await other.goto(page.url());
    await expect(other.locator('#field-port')).toHaveValue('8201', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

test('the keepalive save refuses bad input with a 422 naming the field', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await startCase(page, 'Redshift');
  const caseId = caseIdOf(page);
  const res = await page.request.post(`/api/cases/${caseId}/inputs`, { data: { version: 'one', stepId: 'cluster', values: {} } });
  expect(res.status()).toBe(422);
  expect((await res.json()).fieldErrors.body).toEqual(['version: version must be the case version you saw (a number).']);
});

test('reloading a Redshift setup page with saved answers renders without a hydration error', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await signIn(page, ACCOUNTS.customerAdmin);
  await startCase(page, 'Redshift');
  await fillField(page, 'nodeType', 'ra3.xlplus');
  await fillField(page, 'relocationEnabled', true);
  await fillField(page, 'port', '5439');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');
  errors.length = 0;
  await page.reload();
  await expect(page.locator('#field-port')).toHaveValue('5439');
  // Hydration is done once the page reacts to input: the check of a changed field comes back.
  await fillField(page, 'port', '5456');
  await expect(page.locator('#field-port-error')).toContainText('Port 5456 is outside');
  expect(errors.filter((e) => /hydrat|#418|did not match/i.test(e))).toEqual([]);
});

test('Databricks: saved answers change nothing until the customer sends them', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, ACCOUNTS.otherCustomerAdmin);
  await startCase(page, 'Databricks');
  await fillField(page, 'backendPrivateLink', true);
  await next(page);
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = caseIdOf(page);
  const csm = await staffApi(browser, ACCOUNTS.csm);
  const approver = await staffApi(browser, ACCOUNTS.engineer2);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  // Nothing to give before provisioning, and every check passed: the portal requested provisioning by itself.
  expect((await approver.caseState(caseId)).state).toBe('pending_approval');
  expect((await approver.event(caseId, 'approve')).status()).toBe(200);
  // Reloaded rather than left to update by itself, so that this test stands apart from the live updates.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('case-standing')).toHaveText(/^Waiting for you: register the VPC endpoint/, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });

  // Registered first (the sandbox panel), so the endpoint is available: only the customer's send may move it on now.
  await registerInPanel(page, caseId);
  await page.getByRole('link', { name: 'Open the next step' }).click();
  await fillField(page, 'workspaceUsesSettings', true);
  // A host of this run's own: a host name has one owner, and a retry of this test must not clash with its first try.
  const host = `globex-dw-${Date.now().toString(36)}.cloud.databricks.com`;
  await fillField(page, 'workspaceUrl', `https://${host}`);
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');

  // Three looks of the reconciler after the answers were saved: acting on them would have written DNS at the first
  // and activated at the second (and an active case is not looked at again for minutes).
  const saved = await approver.caseState(caseId);
  const endpointId = String(saved.outputs.vpcEndpointId);
  let look = saved.updatedAt;
  for (let i = 0; i < 3; i++) look = await lookAfter(approver.request, endpointId, look);
  expect((await approver.caseState(caseId)).state).toBe('awaiting_customer_action');

  // Sent: now the case moves on.
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Send and finish' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('case-standing')).toHaveText(/^Active/, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('timeline')).toContainText('Grace');
  const active = await approver.caseState(caseId);
  expect(active.outputs.workspaceHost).toBe(host);
  await snap(page, 'case-databricks-sent-active');
  await csm.close();
  await approver.close();
});
