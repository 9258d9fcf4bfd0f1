import { expect, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { caseIdOf, fillField, next, staffApi } from './wizard-support';

// The wizard's review shows each answer as it will be stored, not as typed; answers that are allowed but rarely meant
// (a rule open to the world, the edge's own account ID) warn without blocking; a new, empty inbound rule shows no
// error until the person has been through it or pressed Next.

test('RDS: an empty rule waits for the person, 0.0.0.0/0 warns, the review shows stored values', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up RDS Postgres' }).click();
  await page.waitForURL(/\/setup/);
  await fillField(page, 'endpointServiceName', '  COM.AMAZONAWS.VPCE.US-EAST-1.VPCE-SVC-0123456789ABCDEF0 ');
  await fillField(page, 'databasePort', '5432');
  await fillField(page, 'inboundEnforcement', 'on');
  await page.getByRole('button', { name: 'Add an inbound rule' }).click();
  const rule = page.getByRole('group', { name: 'Inbound rule 1' });
  await expect(rule.getByLabel('Source CIDR')).toBeVisible();
  // The checks ran on the empty rule (the save says so), yet nothing is flagged before the person is done with it.
  await expect(page.getByTestId('save-status')).toHaveText('All changes saved.');
  await expect(rule.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(page.locator('#field-inboundRules-error')).toHaveCount(0);
  await expect(rule.getByRole('listitem')).toHaveCount(0);
  await snap(page, 'wizard-rds-empty-rule');
  // Leaving the source empty flags that cell only.
  await rule.getByLabel('Source CIDR').focus();
  await rule.getByLabel('From port').focus();
  await expect(rule.getByLabel('Source CIDR')).toHaveAttribute('aria-invalid', 'true');
  await expect(rule.getByLabel('To port')).toHaveAttribute('aria-invalid', 'false');

  await rule.getByLabel('Source CIDR').fill('0.0.0.0/0');
  await rule.getByLabel('From port').fill('5432');
  await rule.getByLabel('To port').fill('5432');
  await rule.getByLabel('To port').blur();
  await expect(page.getByTestId('warning-inboundRules')).toContainText('Inbound rule 1 admits 0.0.0.0/0');
  await expect(rule.locator('[aria-invalid="true"]')).toHaveCount(0);
  await snap(page, 'wizard-rds-open-rule-warning');

  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await expect(page.getByTestId('review-issues')).toHaveCount(0);
  await expect(page.getByTestId('review-warnings')).toContainText('0.0.0.0/0');
  await expect(page.getByTestId('review-endpointServiceName')).toHaveText('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0');
  await expect(page.getByTestId('review-inboundEnforcement')).toHaveText('On');
  await expect(page.getByTestId('review-databasePort')).toHaveText('5432');
  await expect(page.getByTestId('review-inboundRules')).toHaveText('1. 0.0.0.0/0, TCP, port 5432');
  await snap(page, 'wizard-rds-review');
  // A warning does not block.
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
});

test("Redshift: a ticked box reads Yes, an account ID loses its hyphens, the edge's own ID warns", async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Redshift' }).click();
  await page.waitForURL(/\/setup/);
  await fillField(page, 'nodeType', 'ra3.xlplus');
  await fillField(page, 'relocationEnabled', true);
  await fillField(page, 'port', ' 5439 ');
  await next(page);
  await expect(page.getByTestId('review-relocationEnabled')).toHaveText('Yes');
  await expect(page.getByTestId('review-port')).toHaveText('5439');
  await expect(page.getByTestId('review-nodeType')).toHaveText('ra3.xlplus');
  await snap(page, 'wizard-redshift-draft-review');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = caseIdOf(page);
  const csm = await staffApi(browser, ACCOUNTS.csm);
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  await csm.close();

  await page.goto(`/cases/${caseId}/setup`);
  const edge = (await page.getByTestId('edge-account-id').textContent())!.trim();
  expect(edge).toMatch(/^\d{12}$/);
  await fillField(page, 'clusterIdentifier', 'analytics-prod');
  await fillField(page, 'awsAccountId', `${edge.slice(0, 4)}-${edge.slice(4, 8)}-${edge.slice(8)}`);
  await expect(page.getByTestId('warning-awsAccountId')).toContainText(`AWS account ID ${edge} is our edge account's ID`);
  await expect(page.locator('#field-awsAccountId')).toHaveAttribute('aria-invalid', 'false');
  await snap(page, 'wizard-redshift-edge-account-warning');
  await fillField(page, 'awsAccountId', '1234-5678-9012');
  await expect(page.getByTestId('warning-awsAccountId')).toHaveCount(0);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await expect(page.getByTestId('review-awsAccountId')).toHaveText('123456789012');
  await expect(page.getByTestId('review-clusterIdentifier')).toHaveText('analytics-prod');
  await expect(page.getByTestId('review-warnings')).toHaveCount(0);
  await snap(page, 'wizard-redshift-details-review');
});
