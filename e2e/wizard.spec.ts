import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import {
  acceptConnectionInPanel,
  allowRoleInPanel,
  caseIdOf,
  clusterInPanel,
  createServiceInPanel,
  expectFieldError,
  fillField,
  next,
  registerInPanel,
  snowflakeSupportInPanel,
  staffApi,
} from './wizard-support';

// For each warehouse: the customer completes the wizard, staff accept / request / approve through the API, the sandbox
// edge account provisions, and the customer sees the values to paste. Whatever the customer does on their own side
// (a service, its allowed principal, a cluster and its grant, Snowflake support, Databricks registration, accepting
// the connection) they do in the case page's sandbox panel: nothing happens there by itself. Each prerequisite rule's message is checked on
// its field along the way. Screenshots of every wizard step go to e2e-artifacts/.

const SNOWFLAKE_CONFIG = (region: string) =>
  JSON.stringify({
    'privatelink-account-name': `xy12345.${region}.privatelink`,
    'privatelink-vpce-id': `com.amazonaws.vpce.${region}.vpce-svc-0f1e2d3c4b5a69788`,
    'privatelink-account-url': `xy12345.${region}.privatelink.snowflakecomputing.com`,
    'privatelink_ocsp-url': `ocsp.xy12345.${region}.privatelink.snowflakecomputing.com`,
  });

async function start(page: Page, name: string) {
  await page.goto('/cases/new');
  await page.getByRole('button', { name: `Set up ${name}` }).click();
  await page.waitForURL(/\/setup/);
}

async function review(page: Page, shot: string, button: string) {
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await expect(page.getByTestId('review-issues')).toHaveCount(0);
  await snap(page, shot);
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
}

async function staffSteps(page: Page, caseId: string, browser: import('@playwright/test').Browser, fillDetails: () => Promise<void>) {
  const csm = await staffApi(browser, ACCOUNTS.csm);
  const approver = await staffApi(browser, ACCOUNTS.engineer2);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  await page.reload();
  await fillDetails();
  // Every check from the edge account passed when the details were sent: the portal requested provisioning itself.
  expect((await approver.caseState(caseId)).state).toBe('pending_approval');
  expect((await approver.event(caseId, 'approve')).status()).toBe(200);
  await csm.close();
  await approver.close();
}

/** Reload the customer's case page until it shows the state, up to a minute (the sandbox's delays). */
async function waitForState(page: Page, headline: RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('case-standing')).toHaveText(headline, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000] });
}

test.describe('customer wizard, end to end', () => {
  test.describe.configure({ timeout: 180_000 });

  test('Redshift: RA3, port and relocation checks, then the endpoint URL', async ({ page, browser }) => {
    await signIn(page, ACCOUNTS.customerAdmin);
    await start(page, 'Redshift');
    await snap(page, 'wizard-redshift-1-empty');
    await fillField(page, 'nodeType', 'dc2.large');
    await expectFieldError(page, 'nodeType', /RA3/);
    await fillField(page, 'port', '5456');
    await expectFieldError(page, 'port', 'Port 5456 is outside');
    await snap(page, 'wizard-redshift-1-errors');
    await fillField(page, 'nodeType', 'ra3.xlplus');
    await fillField(page, 'relocationEnabled', true);
    await fillField(page, 'port', '5439');
    await review(page, 'wizard-redshift-2-review', 'Submit request');
    const caseId = caseIdOf(page);
    await expect(page.getByTestId('case-standing')).toHaveText('Waiting for your CSM to review the request');

    await staffSteps(page, caseId, browser, async () => {
      // In their own (sandbox) account: the RA3 cluster with relocation on, granted to the edge account and VPC.
      const cluster = `analytics-${Date.now().toString(36)}`;
      const account = await clusterInPanel(page, caseId, cluster);
      await snap(page, 'sandbox-panel-redshift');
      await page.getByRole('link', { name: 'Open the next step' }).click();
      await expect(page.getByTestId('edge-account-id')).toHaveText(/^\d{12}$/);
      await fillField(page, 'clusterIdentifier', cluster);
      await expect(page.locator('pre', { hasText: 'aws redshift authorize-endpoint-access' })).toContainText(
        `--cluster-identifier ${cluster}`,
      );
      await fillField(page, 'awsAccountId', account);
      await snap(page, 'wizard-redshift-3-details');
      await review(page, 'wizard-redshift-4-review', 'Send details');
    });
    await waitForState(page, /^Active/);
    // Host and port are two settings of the integration: two values, each with its own copy button.
    await expect(page.getByTestId('output-host')).toHaveText(
      /^plp-[0-9a-f]{20}-endpoint-[a-z0-9]{20}\.[0-9a-f]{12}\.us-east-1\.redshift\.amazonaws\.com$/,
    );
    await expect(page.getByTestId('output-port')).toHaveText('5439');
    await expect(page.getByRole('button', { name: 'Copy Hostname' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Copy Port' })).toBeVisible();
    await snap(page, 'case-redshift-active');
  });

  test('RDS Postgres: NLB rule containment, allowed principal, then the endpoint DNS name', async ({ page, browser }) => {
    await signIn(page, ACCOUNTS.customerAdmin);
    await start(page, 'RDS Postgres');
    await snap(page, 'wizard-rds-0-empty');
    // The customer creates the endpoint service on their NLB first (in the sandbox panel) and pastes its name.
    const draftId = caseIdOf(page);
    const service = await createServiceInPanel(page, draftId);
    await page.goto(`/cases/${draftId}/setup`);
    await fillField(page, 'endpointServiceName', service.replace('us-east-1', 'us-west-2'));
    await expectFieldError(page, 'endpointServiceName', 'us-west-2');
    await fillField(page, 'endpointServiceName', service);
    await fillField(page, 'databasePort', '5432');
    await fillField(page, 'inboundEnforcement', 'on');
    await page.getByRole('button', { name: 'Add an inbound rule' }).click();
    const rule = page.getByRole('group', { name: 'Inbound rule 1' });
    await rule.getByLabel('Source CIDR').fill('10.1.0.0/16');
    await rule.getByLabel('From port').fill('5432');
    await rule.getByLabel('To port').fill('5432');
    await rule.getByLabel('To port').blur();
    await next(page);
    await expect(page.locator('#field-inboundRules-error')).toContainText('10.0.0.0/8');
    await snap(page, 'wizard-rds-1-rule-error');
    await rule.getByLabel('Source CIDR').fill('10.0.0.0/8');
    await review(page, 'wizard-rds-2-review', 'Submit request');
    const caseId = caseIdOf(page);

    await staffSteps(page, caseId, browser, async () => {
      // The workspace's role, shown once the CSM accepted, goes on the service's allowed principals.
      await page.goto(`/cases/${caseId}`);
      await allowRoleInPanel(page, service);
      await snap(page, 'sandbox-panel-rds');
      await page.getByRole('link', { name: 'Open the next step' }).click();
      await expect(page.getByText('aws ec2 modify-vpc-endpoint-service-permissions')).toBeVisible();
      await snap(page, 'wizard-rds-3-details');
      await review(page, 'wizard-rds-4-review', 'Send details');
    });
    // The service requires acceptance: the case waits for the customer until they accept the connection.
    await waitForState(page, /^Waiting for you/);
    await acceptConnectionInPanel(page, service);
    await snap(page, 'sandbox-panel-rds-accepted');
    await waitForState(page, /^Active/);
    const serviceId = service.replace(/^.*\./, '');
    await expect(page.getByTestId('output-host')).toHaveText(
      new RegExp(`^vpce-[0-9a-f]+-[a-z0-9]+\\.${serviceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`),
    );
    await snap(page, 'case-rds-active');
  });

  test('Snowflake: the pasted configuration is checked for its region, then the account name', async ({ page, browser }) => {
    await signIn(page, ACCOUNTS.otherCustomerAdmin);
    await start(page, 'Snowflake');
    await fillField(page, 'privatelinkEnabled', true);
    await snap(page, 'wizard-snowflake-0-account');
    await review(page, 'wizard-snowflake-1-review', 'Submit request');
    const caseId = caseIdOf(page);

    await staffSteps(page, caseId, browser, async () => {
      // Snowflake support authorizes the edge account (the support case), for the account's privatelink-vpce-id.
      await snowflakeSupportInPanel(page, caseId, JSON.parse(SNOWFLAKE_CONFIG('us-east-1'))['privatelink-vpce-id']);
      await snap(page, 'sandbox-panel-snowflake');
      await page.getByRole('link', { name: 'Open the next step' }).click();
      await fillField(page, 'privatelinkConfig', JSON.stringify(SNOWFLAKE_CONFIG('eu-west-1')));
      await expectFieldError(page, 'privatelinkConfig', 'eu-west-1');
      await snap(page, 'wizard-snowflake-2-region-error');
      await fillField(page, 'privatelinkConfig', JSON.stringify(SNOWFLAKE_CONFIG('us-east-1')));
      await review(page, 'wizard-snowflake-3-review', 'Send details');
    });
    await waitForState(page, /^Active/);
    await expect(page.getByTestId('output-account')).toHaveText('xy12345.us-east-1.privatelink');
    await snap(page, 'case-snowflake-active');
  });

  test('Databricks: register the endpoint, a bad workspace URL is refused, then active', async ({ page, browser }) => {
    await signIn(page, ACCOUNTS.otherCustomerAdmin);
    await start(page, 'Databricks');
    await fillField(page, 'backendPrivateLink', true);
    await snap(page, 'wizard-databricks-0-workspace');
    await review(page, 'wizard-databricks-1-review', 'Submit request');
    const caseId = caseIdOf(page);

    // Nothing to give before provisioning: accepting it is enough for the portal to request provisioning.
    await staffSteps(page, caseId, browser, async () => {});
    await waitForState(page, /^Waiting for you: register the VPC endpoint/);
    await expect(page.getByTestId('output-vpcEndpointId')).toHaveText(/^vpce-[0-9a-f]{17}$/);
    // Registered in their Databricks account (the sandbox panel): Databricks accepts it.
    await registerInPanel(page, caseId);
    await snap(page, 'sandbox-panel-databricks');
    await page.getByRole('link', { name: 'Open the next step' }).click();
    await expect(page.getByText('databricks_mws_vpc_endpoint')).toBeVisible();
    await fillField(page, 'workspaceUsesSettings', true);
    await fillField(page, 'workspaceUrl', 'https://acme.azuredatabricks.net');
    await expectFieldError(page, 'workspaceUrl', 'cloud.databricks.com');
    await snap(page, 'wizard-databricks-2-url-error');
    await fillField(page, 'workspaceUrl', 'https://Acme-Analytics.cloud.databricks.com/?o=123');
    await review(page, 'wizard-databricks-3-review', 'Send and finish');
    await waitForState(page, /^Active/);
    await snap(page, 'case-databricks-active');
  });
});

test('a draft survives a reload, and a stale second tab gets a conflict message', async ({ page, context }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await start(page, 'Redshift');
  await fillField(page, 'port', '8191');
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');
  await page.reload();
  await expect(page.locator('#field-port')).toHaveValue('8191');

  const other = await context.newPage();
  await other.goto(page.url());
  await fillField(other, 'port', '8192');
  await expect(other.getByTestId('save-status')).toHaveText('All changes saved.');

  await fillField(page, 'port', '8193');
  await expect(page.getByTestId('conflict')).toContainText(
    'This case changed since you opened it: its answers were saved from another tab or by someone else.',
  );
  // In the customer's words (no version numbers or state identifiers), and the footer stops saying "Saving…".
  await expect(page.getByTestId('conflict')).not.toContainText(/version \d|"draft"/);
  await expect(page.getByTestId('save-status')).toHaveText('Not saved: this case was changed somewhere else.');
  await snap(page, 'wizard-conflict');
  await page.getByRole('button', { name: 'Reload the latest' }).click();
  await expect(page.locator('#field-port')).toHaveValue('8192');
});

test('a read-only member sees a case but is offered no change, and the server refuses one', async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await start(page, 'Snowflake');
  const caseId = caseIdOf(page);
  const viewer = await browser.newContext();
  const vp = await viewer.newPage();
  await signIn(vp, ACCOUNTS.customerViewer);
  await vp.goto(`/cases/${caseId}`);
  await expect(vp.getByTestId('case-standing')).toBeVisible();
  await expect(vp.getByRole('button', { name: 'Cancel this case' })).toHaveCount(0);
  await expect(vp.getByRole('link', { name: 'Continue setup' })).toHaveCount(0);
  await vp.goto(`/cases/${caseId}/setup`);
  await expect(vp).toHaveURL(new RegExp(`/cases/${caseId}$`));
  const res = await viewer.request.post(`/api/cases/${caseId}/events`, { data: { event: 'cancel', version: 1 } });
  expect(res.status()).toBe(403);
  // Refused at the door: a read-only member may fire no case event at all (case.act).
  expect((await res.json()).error).toBe('You do not have permission to do that.');
  await viewer.close();
});

test('a customer of another workspace gets 404 for the case', async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await start(page, 'Redshift');
  const caseId = caseIdOf(page);
  const other = await browser.newContext();
  const op = await other.newPage();
  await signIn(op, ACCOUNTS.otherCustomerAdmin);
  expect((await op.goto(`/cases/${caseId}`))?.status()).toBe(404);
  expect((await other.request.get(`/api/cases/${caseId}`)).status()).toBe(404);
  await other.close();
});

test('cancelling asks for confirmation and frees the slot', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await start(page, 'Snowflake');
  await page.goto(`/cases/${caseIdOf(page)}`);
  await page.getByRole('button', { name: 'Cancel this case' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Cancel this case?');
  await expect(page.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.getByRole('button', { name: 'Yes, cancel the case' }).click();
  await expect(page.getByTestId('case-standing')).toHaveText('Cancelled');
});
