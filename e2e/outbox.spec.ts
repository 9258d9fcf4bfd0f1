import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { acceptConnectionInPanel, allowRoleInPanel, caseIdOf, createServiceInPanel, fillField, next, staffApi } from './wizard-support';

// The e-mail loop of an RDS case, read where the demo keeps it: with no SMTP server configured, every e-mail is kept
// on /outbox exactly as it would have been sent. A CSM reads there what the customer got at each step.
// The customer's own side is done in the case page's sandbox panel.

async function outboxFor(page: Page, recipient: string, reference: string) {
  await page.goto('/outbox');
  return page
    .getByTestId('outbox-message')
    .filter({ hasText: `to ${recipient}` })
    .filter({ hasText: reference });
}

test('an RDS case to active: the CSM and then the customer get e-mail at each step, shown on the outbox page', async ({
  page,
  browser,
}) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up RDS Postgres' }).click();
  await page.waitForURL(/\/setup/);
  const draftId = caseIdOf(page);
  // Their load balancer's endpoint service, made in their own (sandbox) account; it requires acceptance.
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

  // The customer allows their workspace's role and sends the details; every check passes, the portal requests
  // provisioning, an engineer approves, and the customer is asked to accept the connection.
  await page.goto(`/cases/${caseId}`);
  await allowRoleInPanel(page, service);
  await page.goto(`/cases/${caseId}/setup?step=review`);
  await page.getByRole('button', { name: 'Send details' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  const engineer = await staffApi(browser, ACCOUNTS.engineer);
  expect((await engineer.event(caseId, 'approve')).status()).toBe(200);
  const toAccept = (await outboxFor(csm.page, ACCOUNTS.customerAdmin, reference)).filter({ hasText: 'needs your action' });
  await expect(async () => {
    await csm.page.reload();
    await expect(toAccept).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000] });

  // Accepted in their console: the case goes live, and the e-mail carries the host to paste.
  await acceptConnectionInPanel(page, service);
  const live = (await outboxFor(csm.page, ACCOUNTS.customerAdmin, reference)).filter({ hasText: `${reference} is live` });
  await expect(async () => {
    await csm.page.reload();
    await expect(live).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000] });
  await live.getByText('The message').click();
  await expect(live.getByTestId('outbox-body')).toContainText('.vpce.amazonaws.com');
  await snap(csm.page, 'outbox-rds-active');
  await engineer.close();
  await csm.close();

  // The customer sees no outbox, and chooses their e-mail on their account page.
  expect((await page.goto('/outbox'))?.status()).toBe(403);
  await expect(page.getByTestId('outbox-list')).toHaveCount(0);
  // Reached from the name in the navigation bar, as a newcomer would find it.
  await page.goto('/cases');
  await page.getByTestId('current-user').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Reminders about a case waiting on you' })).toBeChecked();
});
