import { type Browser, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import {
  acceptConnectionInPanel,
  allowRoleInPanel,
  caseIdOf,
  clusterInPanel,
  createServiceInPanel,
  fillField,
  next,
  registerInPanel,
  snowflakeSupportInPanel,
  staffApi,
} from './wizard-support';

// Verified from the edge account (docs/design.md#preflight-checks, #two-staff-touches, #names-have-one-owner): each
// flow walked in the browser with every human act counted by role — staff touch each case exactly twice (the CSM's
// accept, an engineer's approval) — and a workspace that names another's service or Snowflake account gets nothing of
// it, and learns nothing of the other case.

type Role = 'customer' | 'csm' | 'engineer';

/** Counts the acts people do (each press that changes something); typing into a field is not an act. */
class Touches {
  readonly counts: Record<Role, number> = { customer: 0, csm: 0, engineer: 0 };
  async act<T>(role: Role, fn: () => Promise<T>): Promise<T> {
    this.counts[role] += 1;
    return fn();
  }
}

const uniq = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

function snowflakeConfig(locator: string, vpceId = 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788') {
  return JSON.stringify({
    'privatelink-account-name': `${locator}.us-east-1.privatelink`,
    'privatelink-vpce-id': vpceId,
    'privatelink-account-url': `${locator}.us-east-1.privatelink.snowflakecomputing.com`,
    'privatelink_ocsp-url': `ocsp.${locator}.us-east-1.privatelink.snowflakecomputing.com`,
  });
}

async function start(page: Page, name: string) {
  await page.goto('/cases/new');
  await page.getByRole('button', { name: `Set up ${name}` }).click();
  await page.waitForURL(/\/setup/);
}

/** Next through to the review and press the phase's send button. */
async function send(page: Page, button: string) {
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: button }).click();
}

/** A staff member's case page, signed in in their own browser context. */
async function staffPage(browser: Browser, email: string) {
  const s = await staffApi(browser, email);
  return s;
}

async function staffPress(s: Awaited<ReturnType<typeof staffPage>>, caseId: string, event: string) {
  await s.page.goto(`/cases/${caseId}`);
  await s.page.getByTestId(`action-${event}`).click();
  await expect(s.page.getByTestId('action-result')).toContainText(/the case is now/);
}

async function waitForState(page: Page, headline: RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('case-standing')).toHaveText(headline, { timeout: 1000 });
  }).toPass({ timeout: 90_000, intervals: [1000] });
}

test.describe('each flow reaches active with two staff touches', () => {
  test.describe.configure({ timeout: 240_000 });
  const table: Record<string, Record<Role, number>> = {};

  test.afterAll(() => {
    console.log(`[touches] per flow (customer / CSM / engineer): ${JSON.stringify(table)}`);
  });

  test('RDS Postgres', async ({ page, browser }) => {
    const t = new Touches();
    const csm = await staffPage(browser, ACCOUNTS.csm);
    const engineer = await staffPage(browser, ACCOUNTS.engineer);
    await signIn(page, ACCOUNTS.customerAdmin);
    await t.act('customer', () => start(page, 'RDS Postgres'));
    const caseId = caseIdOf(page);
    const service = await t.act('customer', () => createServiceInPanel(page, caseId));
    await page.goto(`/cases/${caseId}/setup`);
    await fillField(page, 'endpointServiceName', service);
    await fillField(page, 'databasePort', '5432');
    await fillField(page, 'inboundEnforcement', 'off');
    await t.act('customer', () => send(page, 'Submit request'));
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await t.act('csm', () => staffPress(csm, caseId, 'accept'));

    // Before the role is allowed, "Check from our side" says what to fix, with the command.
    await page.goto(`/cases/${caseId}/setup`);
    await t.act('customer', () => page.getByRole('button', { name: 'Check from our side' }).click());
    const visible = page.locator('[data-check="rds.service_visible"]');
    await expect(visible).toHaveAttribute('data-status', 'failed');
    await expect(visible).toContainText(/role\/plp-ws-[0-9a-f-]{36}/);
    await expect(visible.locator('pre')).toContainText('--add-allowed-principals arn:aws:iam::');
    await snap(page, 'preflight-rds-failed');

    await page.goto(`/cases/${caseId}`);
    await t.act('customer', () => allowRoleInPanel(page, service));
    await page.goto(`/cases/${caseId}/setup`);
    await t.act('customer', () => page.getByRole('button', { name: /Check (again|from our side)/ }).click());
    await expect(page.locator('[data-check="rds.service_visible"]')).toHaveAttribute('data-status', 'passed');
    await snap(page, 'preflight-rds-passed');
    await t.act('customer', () => send(page, 'Send details'));
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    // Every check passed: the portal requested provisioning, nobody from staff had to.
    expect((await engineer.caseState(caseId)).state).toBe('pending_approval');
    await t.act('engineer', () => staffPress(engineer, caseId, 'approve'));
    await waitForState(page, /^Waiting for you/);
    await t.act('customer', () => acceptConnectionInPanel(page, service));
    await waitForState(page, /^Active/);
    table.rds_postgres = t.counts;
    expect(t.counts.csm + t.counts.engineer).toBe(2);
    await csm.close();
    await engineer.close();
  });

  test('Redshift', async ({ page, browser }) => {
    const t = new Touches();
    const csm = await staffPage(browser, ACCOUNTS.csm);
    const engineer = await staffPage(browser, ACCOUNTS.engineer);
    await signIn(page, ACCOUNTS.customerAdmin);
    await t.act('customer', () => start(page, 'Redshift'));
    const caseId = caseIdOf(page);
    await fillField(page, 'nodeType', 'ra3.xlplus');
    await fillField(page, 'relocationEnabled', true);
    await fillField(page, 'port', '5439');
    await t.act('customer', () => send(page, 'Submit request'));
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await t.act('csm', () => staffPress(csm, caseId, 'accept'));
    const cluster = `analytics-${uniq()}`;
    // Sent before the cluster owner authorized the edge account: refused, with the command that fixes it.
    await page.goto(`/cases/${caseId}`);
    const account = (await page.getByTestId('sandbox-account-id').textContent())!.trim();
    await page.goto(`/cases/${caseId}/setup`);
    await fillField(page, 'clusterIdentifier', cluster);
    await fillField(page, 'awsAccountId', account);
    await t.act('customer', () => send(page, 'Send details'));
    await expect(page.getByTestId('save-status')).toContainText(`has not authorized the edge account`);
    // Creating the cluster and authorizing the edge account: two acts in the customer's own console.
    expect(await clusterInPanel(page, caseId, cluster)).toBe(account);
    t.counts.customer += 2;
    await page.goto(`/cases/${caseId}/setup?step=review`);
    await t.act('customer', () => page.getByRole('button', { name: 'Send details' }).click());
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    expect((await engineer.caseState(caseId)).state).toBe('pending_approval');
    await t.act('engineer', () => staffPress(engineer, caseId, 'approve'));
    await waitForState(page, /^Active/);
    table.redshift = t.counts;
    expect(t.counts.csm + t.counts.engineer).toBe(2);
    await csm.close();
    await engineer.close();
  });

  test('Snowflake', async ({ page, browser }) => {
    const t = new Touches();
    const csm = await staffPage(browser, ACCOUNTS.csm);
    const engineer = await staffPage(browser, ACCOUNTS.engineer);
    const locator = `sf${uniq()}`;
    const vpceId = `com.amazonaws.vpce.us-east-1.vpce-svc-0${Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;
    await signIn(page, ACCOUNTS.otherCustomerAdmin);
    await t.act('customer', () => start(page, 'Snowflake'));
    const caseId = caseIdOf(page);
    await fillField(page, 'privatelinkEnabled', true);
    await t.act('customer', () => send(page, 'Submit request'));
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await t.act('csm', () => staffPress(csm, caseId, 'accept'));
    await page.goto(`/cases/${caseId}/setup`);
    await fillField(page, 'privatelinkConfig', snowflakeConfig(locator, vpceId));
    await t.act('customer', () => send(page, 'Send details'));
    // Snowflake support has not authorized the edge yet: the details are refused, saying so.
    await expect(page.getByTestId('save-status')).toContainText('Snowflake support has not authorized us yet');
    await t.act('customer', () => snowflakeSupportInPanel(page, caseId, vpceId));
    await page.goto(`/cases/${caseId}/setup?step=review`);
    await t.act('customer', () => page.getByRole('button', { name: 'Send details' }).click());
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    expect((await engineer.caseState(caseId)).state).toBe('pending_approval');
    await t.act('engineer', () => staffPress(engineer, caseId, 'approve'));
    await waitForState(page, /^Active/);
    table.snowflake = t.counts;
    expect(t.counts.csm + t.counts.engineer).toBe(2);
    await csm.close();
    await engineer.close();
  });

  test('Databricks', async ({ page, browser }) => {
    const t = new Touches();
    const csm = await staffPage(browser, ACCOUNTS.csm);
    const engineer = await staffPage(browser, ACCOUNTS.engineer);
    await signIn(page, ACCOUNTS.otherCustomerAdmin);
    await t.act('customer', () => start(page, 'Databricks'));
    const caseId = caseIdOf(page);
    await fillField(page, 'backendPrivateLink', true);
    await t.act('customer', () => send(page, 'Submit request'));
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await t.act('csm', () => staffPress(csm, caseId, 'accept'));
    // Nothing to give before provisioning: the case goes straight to the engineer.
    expect((await engineer.caseState(caseId)).state).toBe('pending_approval');
    await t.act('engineer', () => staffPress(engineer, caseId, 'approve'));
    await waitForState(page, /^Waiting for you/);
    // Sent before registering: refused, because Databricks has not accepted the endpoint.
    await page.goto(`/cases/${caseId}/setup`);
    await fillField(page, 'workspaceUsesSettings', true);
    await fillField(page, 'workspaceUrl', `https://dbc-${uniq()}.cloud.databricks.com`);
    await t.act('customer', () => send(page, 'Send and finish'));
    await expect(page.getByTestId('save-status')).toContainText('register it in your Databricks account');
    // Still waiting: nothing on the customer's side happened by itself.
    expect((await engineer.caseState(caseId)).state).toBe('awaiting_customer_action');
    await t.act('customer', () => registerInPanel(page, caseId));
    await page.goto(`/cases/${caseId}/setup?step=review`);
    await t.act('customer', () => page.getByRole('button', { name: 'Send and finish' }).click());
    await waitForState(page, /^Active/);
    table.databricks = t.counts;
    expect(t.counts.csm + t.counts.engineer).toBe(2);
    await csm.close();
    await engineer.close();
  });
});

test.describe('a workspace that names what is another’s gets nothing of it', () => {
  test.describe.configure({ timeout: 240_000 });

  test("RDS: Acme naming Globex's endpoint service is refused as AWS refuses the principal, and learns nothing of Globex", async ({
    page,
    browser,
  }) => {
    const csm = await staffPage(browser, ACCOUNTS.csm);
    // Globex's own service, allowing Globex's role only.
    const owner = await browser.newPage();
    await signIn(owner, ACCOUNTS.otherCustomerAdmin);
    await start(owner, 'RDS Postgres');
    const ownerCase = caseIdOf(owner);
    const service = await createServiceInPanel(owner, ownerCase);

    await signIn(page, ACCOUNTS.customerAdmin);
    await start(page, 'RDS Postgres');
    const squatCase = caseIdOf(page);
    await fillField(page, 'endpointServiceName', service);
    await fillField(page, 'databasePort', '5432');
    await fillField(page, 'inboundEnforcement', 'off');
    await send(page, 'Submit request');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await staffPress(csm, squatCase, 'accept');
    await page.goto(`/cases/${squatCase}/setup?step=review`);
    await page.getByRole('button', { name: 'Send details' }).click();
    const refusal = page.getByTestId('save-status');
    await expect(refusal).toContainText('is not visible to arn:aws:iam::');
    await expect(refusal).not.toContainText('Globex');
    const ownerNumber = (await csm.caseState(ownerCase)).reference;
    const squatState = await page.request.get(`/api/cases/${squatCase}`);
    const body = await squatState.text();
    expect(body).not.toContain(ownerCase);
    expect(body).not.toContain(ownerNumber);
    expect(body).not.toContain('Globex');
    await page.goto(`/cases/${squatCase}`);
    await expect(page.locator('body')).not.toContainText(ownerNumber);
    await snap(page, 'squat-rds-refused');
    await owner.close();
    await csm.close();
  });

  test("Snowflake: a second workspace naming an account another's live case holds waits for staff, who see both cases", async ({
    page,
    browser,
  }) => {
    const csm = await staffPage(browser, ACCOUNTS.csm);
    const engineer = await staffPage(browser, ACCOUNTS.engineer2);
    const locator = `own${uniq()}`;
    const vpceId = `com.amazonaws.vpce.us-east-1.vpce-svc-0${Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;

    // Globex's genuine case goes active first.
    const owner = await browser.newPage();
    await signIn(owner, ACCOUNTS.otherCustomerAdmin);
    await start(owner, 'Snowflake');
    const ownerCase = caseIdOf(owner);
    await fillField(owner, 'privatelinkEnabled', true);
    await send(owner, 'Submit request');
    await owner.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await staffPress(csm, ownerCase, 'accept');
    await snowflakeSupportInPanel(owner, ownerCase, vpceId);
    await owner.goto(`/cases/${ownerCase}/setup`);
    await fillField(owner, 'privatelinkConfig', snowflakeConfig(locator, vpceId));
    await send(owner, 'Send details');
    await owner.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await staffPress(engineer, ownerCase, 'approve');
    await waitForState(owner, /^Active/);
    const ownerRef = (await csm.caseState(ownerCase)).reference;

    // Acme pastes the same account's configuration.
    await signIn(page, ACCOUNTS.customerAdmin);
    await start(page, 'Snowflake');
    const squatCase = caseIdOf(page);
    await fillField(page, 'privatelinkEnabled', true);
    await send(page, 'Submit request');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await staffPress(csm, squatCase, 'accept');
    await page.goto(`/cases/${squatCase}/setup`);
    await fillField(page, 'privatelinkConfig', snowflakeConfig(locator, vpceId));
    await send(page, 'Send details');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const squatRef = (await csm.caseState(squatCase)).reference;
    // The portal does not request provisioning for a claimed name; the customer is told only that it is taken.
    expect((await csm.caseState(squatCase)).state).toBe('ready_to_provision');
    await expect(page.getByTestId('name-conflict')).toContainText('already connected from another account');
    await expect(page.locator('body')).not.toContainText(ownerRef);
    await expect(page.locator('body')).not.toContainText('Globex');
    const api = await (await page.request.get(`/api/cases/${squatCase}`)).text();
    expect(api).not.toContain(ownerRef);
    expect(api).not.toContain(ownerCase);

    // Staff see both cases, and approval is refused until they resolve it.
    await csm.page.goto(`/cases/${squatCase}`);
    await expect(csm.page.getByTestId('staff-name-conflict')).toContainText(ownerRef);
    await snap(csm.page, 'squat-snowflake-staff');
    await staffPress(csm, squatCase, 'request_provisioning');
    await engineer.page.goto(`/cases/${squatCase}`);
    await engineer.page.getByTestId('action-approve').click();
    await expect(engineer.page.getByTestId('action-result')).toContainText(`Resolve the name conflict before approving: `);
    await staffPress(csm, squatCase, 'cancel');

    // No DNS name was written for Acme; Globex's case is still active and its page never names Acme's case.
    expect((await csm.caseState(ownerCase)).state).toBe('active');
    await owner.reload();
    await expect(owner.locator('body')).not.toContainText(squatRef);
    await expect(owner.getByTestId('name-conflict')).toHaveCount(0);
    await owner.close();
    await csm.close();
    await engineer.close();
  });
});
