import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { acceptConnectionInPanel, allowRoleInPanel, caseIdOf, createServiceInPanel, fillField, next, staffApi } from './wizard-support';

// A demo of usage on the sandbox edge: an RDS case of Globex Data goes live, an engineer's Test connection succeeds
// through it, the engineer adds a one-off transfer in the sandbox controls on /usage, the usage collection picks it
// up, and the workspace is told it passed 80 % of its 300 GB. The transfer stays below 300 GB so the workspace keeps
// provisioning for the other specs.

const GB_TODAY = 245;

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('sandbox traffic shows on /usage with a breakdown, crosses 80 %, and Test connection succeeds on the live case', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // The customer (Globex's admin) sets up an RDS case to active, acting in their own sandbox console.
  await signIn(page, ACCOUNTS.otherCustomerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up RDS Postgres' }).click();
  await page.waitForURL(/\/setup/);
  const draftId = caseIdOf(page);
  const service = await createServiceInPanel(page, draftId);
  await page.goto(`/cases/${draftId}/setup`);
  await fillField(page, 'endpointServiceName', service);
  await fillField(page, 'databasePort', '5432');
  await fillField(page, 'inboundEnforcement', 'off');
  await next(page);
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = caseIdOf(page);
  const csm = await staffApi(browser, ACCOUNTS.csm);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  await page.goto(`/cases/${caseId}`);
  await allowRoleInPanel(page, service);
  await page.goto(`/cases/${caseId}/setup?step=review`);
  await page.getByRole('button', { name: 'Send details' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const engineer = await staffApi(browser, ACCOUNTS.engineer);
  await expect.poll(async () => (await engineer.caseState(caseId)).state, { timeout: 60_000 }).toBe('pending_approval');
  expect((await engineer.event(caseId, 'approve')).status()).toBe(200);
  await acceptConnectionInPanel(page, service);
  await expect.poll(async () => (await engineer.caseState(caseId)).state, { timeout: 60_000 }).toBe('active');
  const { outputs, reference } = await engineer.caseState(caseId);
  const vpce = String(outputs.vpcEndpointId);
  const host = String(outputs.host);
  expect(vpce).toMatch(/^vpce-[0-9a-f]{17}$/);

  // The engineer's Test connection: the sandbox edge answers as the reachable endpoint would.
  const ep = engineer.page;
  await ep.goto(`/cases/${caseId}`);
  const conn = ep.getByRole('region', { name: 'Test connection' });
  await conn.getByLabel('User').fill('app_reader');
  await conn.getByLabel('Password').fill('not-kept');
  await conn.getByRole('button', { name: 'Test connection' }).click();
  await expect(conn.getByTestId('connection-result')).toContainText(
    `Connected to ${host}:5432 through VPC endpoint ${vpce} and ran SELECT 1 in`,
  );
  await expect(conn.getByTestId('connection-result')).toContainText('Sandbox: the simulated database accepts any credentials.');
  await snap(ep, 'usage-demo-connection-test');

  // The sandbox controls on /usage: the engineer picks the workspace and adds a one-off transfer today.
  await ep.goto('/usage');
  await ep.getByLabel('Workspace').selectOption({ label: 'Globex Data' });
  await ep.getByRole('button', { name: 'Show' }).click();
  await expect(ep.getByRole('heading', { name: 'PrivateLink usage · Globex Data' })).toBeVisible();
  const box = ep.getByTestId('sandbox-traffic');
  const control = box.getByRole('form', { name: `Simulated traffic of ${vpce}` });
  // A typing slip is refused with the field, the rule and the fix, and nothing changes.
  await control.getByLabel('One-off today, GB').fill('-5');
  await control.getByRole('button', { name: 'Set traffic' }).click();
  await expect(control.getByText('One-off transfer today cannot be negative: enter 0 or more GB.')).toBeVisible();
  await expect(control.getByLabel('One-off today, GB')).toHaveAttribute('aria-invalid', 'true');
  await control.getByLabel('One-off today, GB').fill(String(GB_TODAY));
  await control.getByRole('button', { name: 'Set traffic' }).click();
  await expect(control.getByTestId('traffic-result')).toContainText(
    `${vpce} now carries its own generated pattern, plus ${GB_TODAY}.0 GB one-off today.`,
  );

  // The usage collection reads it (the page refreshes itself until it does): the endpoint's row in the breakdown.
  const row = ep.getByTestId('usage-endpoint-row').filter({ hasText: vpce });
  await expect(async () => {
    await ep.reload();
    await expect(row).toContainText(new RegExp(`${GB_TODAY}\\.\\d GB`), { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000] });
  await expect(row).toContainText(reference);
  await expect(row).toContainText('RDS Postgres');
  await expect(row).toContainText(/\d+ %/);
  await expect(ep.getByTestId('usage-mtd')).toHaveText(/^2[45]\d GB so far of 300 GB$/);
  // Axis ticks at 1/2/5 × 10^n GB steps from 0.
  const ticks = (await ep.getByTestId('usage-tick').allTextContents()).map((t) => Number(t.replace(' GB', '')));
  expect(ticks[0]).toBe(0);
  const step = ticks[1]!;
  expect(ticks).toEqual(ticks.map((_, i) => i * step));
  expect([1, 2, 5]).toContain(step / 10 ** Math.floor(Math.log10(step)));
  await snap(ep, 'usage-demo-usage-engineer');
  await expectAccessible(ep);

  // The endpoint's row on /endpoints: its own month, and the workspace's total against the workspace's limit.
  await ep.goto(`/endpoints?q=${vpce}`);
  const endpointRow = ep.getByTestId('endpoint-row').filter({ hasText: vpce });
  await expect(endpointRow.getByTestId('endpoint-month')).toHaveText(new RegExp(`^This endpoint: ${GB_TODAY}\\.\\d GB$`));
  await expect(endpointRow.getByTestId('workspace-month')).toHaveText(/^Workspace: 2[45]\d\.\d of 300 GB$/);
  await snap(ep, 'usage-demo-endpoints');
  await expectAccessible(ep);

  // The workspace is told: the 80 % notification in-app for the customer, and its e-mail on the outbox.
  await page.goto('/notifications');
  await expect(page.getByTestId('notification').filter({ hasText: 'Globex Data passed 80 % of its monthly transfer limit' })).toHaveCount(
    1,
  );
  await snap(page, 'usage-demo-notification');
  await page.goto('/usage');
  await expect(page.getByTestId('usage-endpoint-row').filter({ hasText: vpce })).toContainText(new RegExp(`${GB_TODAY}\\.\\d GB`));
  // Customers see what the sandbox does, but not the engineers' levers.
  await expect(page.getByTestId('sandbox-traffic')).toContainText('An engineer can change it on this page');
  await expect(page.getByRole('button', { name: 'Set traffic' })).toHaveCount(0);
  await snap(page, 'usage-demo-usage-customer');
  await expectAccessible(page);
  await ep.goto('/outbox');
  await expect(
    ep
      .getByTestId('outbox-message')
      .filter({ hasText: `to ${ACCOUNTS.otherCustomerAdmin}` })
      .filter({ hasText: '80 %' }),
  ).toHaveCount(1);
  await engineer.close();
  await csm.close();
});
