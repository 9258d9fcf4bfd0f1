import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { caseIdOf, fillField, next, staffApi } from './wizard-support';

// The e-mail loop of an RDS case, read where the demo keeps it: with no SMTP server configured, every e-mail is kept
// on /outbox exactly as it would have been sent. A CSM reads there what the customer got at each step.
// Walks as far as the customer's part before provisioning (how the sandbox customer acts is being changed elsewhere).

async function outboxFor(page: Page, recipient: string, reference: string) {
  await page.goto('/outbox');
  return page
    .getByTestId('outbox-message')
    .filter({ hasText: `to ${recipient}` })
    .filter({ hasText: reference });
}

test('an RDS case: the CSM and then the customer get e-mail at each step, shown on the outbox page', async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up RDS Postgres' }).click();
  await page.waitForURL(/\/setup/);
  await fillField(page, 'endpointServiceName', 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718');
  await fillField(page, 'databasePort', '5432');
  await fillField(page, 'inboundEnforcement', 'off');
  await next(page);
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const caseId = caseIdOf(page);

  const csm = await staffApi(browser, ACCOUNTS.csm);
  const { reference } = await csm.caseState(caseId);
  // The submission: an e-mail to the CSM, none to the customer who submitted.
  const toCsm = await outboxFor(csm.page, ACCOUNTS.csm, reference);
  await expect(toCsm.filter({ hasText: `New case ${reference} from` })).toHaveCount(1);
  await expect(await outboxFor(csm.page, ACCOUNTS.customerAdmin, reference)).toHaveCount(0);

  // Accepted: the customer admin is asked to allow the workspace's role, with a link to the case.
  expect((await csm.event(caseId, 'accept')).status()).toBe(200);
  const toAda = (await outboxFor(csm.page, ACCOUNTS.customerAdmin, reference)).filter({ hasText: 'needs your action' });
  await expect(toAda).toHaveCount(1);
  await toAda.getByText('The message').click();
  await expect(toAda.getByTestId('outbox-body')).toContainText('allowed principal');
  await expect(toAda.getByTestId('outbox-body')).toContainText(`/cases/${caseId}`);
  await expect(toAda).toContainText('Kept, not sent');
  await snap(csm.page, 'outbox-rds-accepted');
  await csm.close();

  // The customer sees no outbox, and chooses their e-mail on their account page.
  expect((await page.goto('/outbox'))?.status()).toBe(403);
  await expect(page.getByTestId('outbox-list')).toHaveCount(0);
  await page.goto('/account');
  await expect(page.getByRole('checkbox', { name: 'Reminders about a case waiting on you' })).toBeChecked();
});
