import { type Browser, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { clusterInPanel, fillField, next, staffApi, submitRedshiftCase } from './wizard-support';

// Staff through the UI: the CSM accepts, the portal requests provisioning once every check passed (or, with that
// turned off for the workspace, staff request it), a second engineer approves, an engineer cannot approve their own
// request; the state diagram lights the new state after each step.

async function customerRedshiftCase(browser: Browser): Promise<{ id: string; customer: Page }> {
  const ctx = await browser.newContext();
  const customer = await ctx.newPage();
  const id = await submitRedshiftCase(customer, ACCOUNTS.otherCustomerAdmin, { nodeType: 'ra3.4xlarge', port: '5439' });
  return { id, customer };
}

/** The customer's part: their cluster and its grant in the sandbox panel, then the details in the setup. */
async function customerDetails(customer: Page, id: string) {
  const cluster = `globex-dw-${Date.now().toString(36)}`;
  const account = await clusterInPanel(customer, id, cluster);
  await customer.goto(`/cases/${id}/setup`);
  await fillField(customer, 'clusterIdentifier', cluster);
  await fillField(customer, 'awsAccountId', account);
  await next(customer);
  await customer.getByRole('button', { name: 'Send details' }).click();
  await customer.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
}

/** The diagram lights exactly one state, one of `states` (after an approval the sandbox may already have finished). */
async function expectCurrent(page: Page, ...states: string[]) {
  const diagram = page.getByTestId('state-diagram');
  await expect(diagram.locator(states.map((s) => `[data-state="${s}"][data-current="true"]`).join(', '))).toHaveCount(1);
  await expect(diagram.locator('[data-current="true"]')).toHaveCount(1);
}

async function press(page: Page, event: string, ...states: string[]) {
  await page.getByTestId(`action-${event}`).click();
  await expect(page.getByTestId('action-result')).toContainText('the case is now');
  await expectCurrent(page, ...states);
}

test('CSM accepts, the portal requests provisioning once the checks pass, a second engineer approves; the diagram follows', async ({
  page,
  browser,
}) => {
  const { id, customer } = await customerRedshiftCase(browser);
  await signIn(page, ACCOUNTS.csm);
  await page.goto('/queue');
  await page
    .getByRole('link', { name: /PL-\d+/ })
    .first()
    .waitFor();
  await page.goto(`/cases/${id}`);
  await expectCurrent(page, 'submitted');
  await expect(page.getByTestId('action-approve')).toHaveCount(0);
  await snap(page, 'staff-1-submitted');
  await press(page, 'accept', 'awaiting_customer');
  await expect(page.getByTestId('state-diagram').locator('[data-edge="submitted:accept:awaiting_customer"]')).toHaveAttribute(
    'data-taken',
    'true',
  );
  await snap(page, 'staff-2-accepted');

  await customerDetails(customer, id);
  await page.reload();
  await expectCurrent(page, 'pending_approval');
  await expect(page.getByTestId('timeline')).toContainText('auto request provisioning');
  await expect(page.locator('[data-check="redshift.authorized"]')).toHaveAttribute('data-status', 'passed');
  await expect(page.getByTestId('action-approve')).toBeDisabled();
  await snap(page, 'staff-3-pending-approval');

  const eng = await browser.newContext();
  const ep = await eng.newPage();
  await signIn(ep, ACCOUNTS.engineer2);
  await ep.goto(`/cases/${id}`);
  await press(ep, 'approve', 'provisioning', 'active');
  await snap(ep, 'staff-4-approved');
  await eng.close();
});

test('an engineer who requested provisioning cannot approve it; another can', async ({ page, browser }) => {
  const { id, customer } = await customerRedshiftCase(browser);
  const csm = await staffApi(browser, ACCOUNTS.csm);
  expect((await csm.event(id, 'accept')).status()).toBe(200);
  // The CSM turns the portal's own request off for Globex (on the case page), so staff request it themselves.
  await csm.page.goto(`/cases/${id}`);
  const auto = csm.page.getByLabel(/^Cases of Globex Data request provisioning by themselves/);
  await auto.uncheck();
  await expect(csm.page.getByText('Saved: a CSM requests provisioning for each case.')).toBeVisible();
  try {
    await customerDetails(customer, id);
  } finally {
    await auto.check();
    await expect(csm.page.getByText('Saved: checked cases request provisioning themselves.')).toBeVisible();
  }

  await signIn(page, ACCOUNTS.engineer);
  await page.goto(`/cases/${id}`);
  await press(page, 'request_provisioning', 'pending_approval');
  await expect(page.getByTestId('action-approve')).toBeDisabled();
  await expect(page.getByText('You requested this provisioning: another engineer must approve it (two-person rule).')).toBeVisible();
  await snap(page, 'staff-own-request-refused');

  const self = await staffApi(browser, ACCOUNTS.engineer);
  const refused = await self.event(id, 'approve');
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error).toBe('You requested this provisioning: another engineer must approve it (two-person rule).');
  const other = await staffApi(browser, ACCOUNTS.engineer2);
  expect((await other.event(id, 'approve')).status()).toBe(200);
  await page.reload();
  await expectCurrent(page, 'provisioning', 'active');
  for (const c of [csm, self, other]) await c.close();
});

test('a reason is required to reject, and internal notes land in the timeline as notes', async ({ page, browser }) => {
  const { id } = await customerRedshiftCase(browser);
  await signIn(page, ACCOUNTS.csm);
  await page.goto(`/cases/${id}`);
  const form = page.getByTestId('conversation-form');
  await form.getByRole('radio', { name: 'Internal note (staff only)' }).check();
  await form.getByLabel('Internal note', { exact: true }).fill('Called the customer about the cluster.');
  await form.getByRole('button', { name: 'Add internal note' }).click();
  await expect(page.getByTestId('timeline-note')).toContainText('Called the customer about the cluster.');
  await page.getByTestId('action-reject').click();
  await expect(page.getByTestId('action-result')).toContainText('Give a reason to reject');
  await page.getByRole('textbox', { name: 'Reason (shown to the customer)' }).fill('Cluster is not RA3 after all.');
  await page.getByTestId('action-reject').click();
  await expectCurrent(page, 'rejected');
});

for (const path of ['/queue', '/endpoints', '/audit']) {
  test(`a customer cannot reach ${path}`, async ({ page }) => {
    await signIn(page, ACCOUNTS.customerAdmin);
    expect((await page.goto(path))?.status()).toBe(403);
  });
}
