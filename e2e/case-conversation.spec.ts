import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { staffApi, submitRedshiftCase } from './wizard-support';

// The conversation on a case through the UI: the CSM sends a submitted case back with what to change, the customer
// writes to staff and the CSM answers, and an internal note stays with staff — never on a customer's page, in
// GET /api/cases/:id, in their notifications or in an e-mail (read on /outbox, where the demo keeps every e-mail).

const NOTE = `Internal only ${Date.now().toString(36)}: their budget owner has not signed yet`;

/** No serious or critical axe violation (WCAG 2.1 A/AA), as e2e/a11y.spec.ts checks the other pages. */
async function expectAccessible(page: Page, what: string) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} – ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function caseText(page: Page, id: string): Promise<string> {
  await page.goto(`/cases/${id}`);
  await expect(page.getByTestId('case-standing')).toBeVisible();
  return (await page.locator('main').textContent()) ?? '';
}

test('request changes, customer messages and internal notes, each where it belongs', async ({ browser }) => {
  test.setTimeout(180_000);
  const customerCtx = await browser.newContext();
  const customer = await customerCtx.newPage();
  const id = await submitRedshiftCase(customer, ACCOUNTS.otherCustomerAdmin, { nodeType: 'ra3.4xlarge', port: '5439' });
  const csm = await staffApi(browser, ACCOUNTS.csm);

  // The CSM sees the composer say which kind of text they write, and asks for changes with a reason.
  await csm.page.goto(`/cases/${id}`);
  const form = csm.page.getByTestId('conversation-form');
  await expect(form.getByRole('radio', { name: 'Message to the customer' })).toBeChecked();
  await form.getByRole('radio', { name: 'Internal note (staff only)' }).check();
  await expect(form.getByText('Staff only: never shown or sent to the customer.')).toBeVisible();
  await form.getByLabel('Internal note', { exact: true }).fill(NOTE);
  await snap(csm.page, 'conversation-staff-note-composer');
  await form.getByRole('button', { name: 'Add internal note' }).click();
  await expect(csm.page.getByTestId('conversation-result')).toHaveText('Internal note added: staff only.');
  const staffNote = csm.page.getByTestId('timeline-note');
  await expect(staffNote).toContainText('Internal note · staff only');
  await expect(staffNote).toContainText(NOTE);
  // A note is a note, not a state entry.
  await expect(csm.page.getByTestId('timeline-state')).toHaveCount(2); // create, submit

  await csm.page.getByLabel('Reason (shown to the customer)').fill('Use port 5439 on the cluster you will grant us.');
  await csm.page.getByTestId('action-request_changes').click();
  await expect(csm.page.getByTestId('action-result')).toContainText('the case is now draft');

  // The customer is told what to change, and writes to staff.
  await customer.goto(`/cases/${id}`);
  await expect(customer.getByTestId('case-standing')).toHaveText('Changes requested: change the setup and submit it again');
  await expect(customer.locator('section[aria-labelledby="standing"]')).toContainText('“Use port 5439 on the cluster you will grant us.”');
  await expect(customer.getByRole('link', { name: 'Continue setup' })).toBeVisible();
  const mine = customer.getByTestId('conversation-form');
  await mine.getByLabel('Message to staff').fill('Which account should hold the cluster?');
  await mine.getByRole('button', { name: 'Send to staff' }).click();
  await expect(customer.getByTestId('conversation-result')).toHaveText('Message sent to staff: the CSMs are notified.');
  await expect(customer.getByTestId('timeline-message')).toContainText('Which account should hold the cluster?');
  await snap(customer, 'conversation-customer-changes-requested');
  await expectAccessible(customer, 'customer case page with a conversation');

  // The CSM is notified and answers; the answer reaches the customer's page.
  await csm.page.goto('/notifications');
  await expect(csm.page.getByTestId('notification').filter({ hasText: 'Which account should hold the cluster?' })).toHaveCount(1);
  await csm.page.goto(`/cases/${id}`);
  await expect(csm.page.getByTestId('timeline-message')).toContainText('Message from the customer');
  await form.getByRole('textbox', { name: 'Message to the customer' }).fill('The one you run the warehouse in.');
  await form.getByRole('button', { name: 'Send to the customer' }).click();
  await expect(csm.page.getByTestId('conversation-result')).toContainText('Message sent to the customer');
  await snap(csm.page, 'conversation-staff-timeline');
  await expectAccessible(csm.page, 'staff case page with a conversation');
  await expect(customer.getByTestId('timeline-message').filter({ hasText: 'The one you run the warehouse in.' })).toHaveCount(1, {
    timeout: 15_000,
  });

  // The internal note is nowhere a customer can read: the admin's and the viewer's pages, the API, notifications.
  const viewerCtx = await browser.newContext();
  const viewer = await viewerCtx.newPage();
  await signIn(viewer, ACCOUNTS.otherCustomerViewer);
  for (const page of [customer, viewer]) {
    expect(await caseText(page, id)).not.toContain(NOTE);
    await expect(page.getByTestId('timeline-note')).toHaveCount(0);
    const api = await page.request.get(`/api/cases/${id}`);
    expect(api.status()).toBe(200);
    expect(await api.text()).not.toContain(NOTE);
    await page.goto('/notifications');
    expect((await page.locator('main').textContent()) ?? '').not.toContain(NOTE);
  }
  // The read-only member reads the conversation and is told who can write; there is nothing for them to press.
  await viewer.goto(`/cases/${id}`);
  await expect(viewer.getByTestId('timeline-message')).toHaveCount(2);
  await expect(viewer.getByTestId('timeline-state').filter({ hasText: 'Changes requested: back to “Draft”' })).toHaveCount(1);
  await expect(viewer.getByTestId('conversation-form')).toHaveCount(0);
  await expect(viewer.getByTestId('conversation-read-only')).toContainText("Only your workspace's admins can write to staff");
  await expect(viewer.getByTestId('case-standing')).toHaveText('Changes requested: a workspace admin changes the setup');
  await snap(viewer, 'conversation-viewer');
  await expectAccessible(viewer, "read-only member's case page");

  // The e-mails: the changes asked went to the admin with the reason, the message to the CSM; none carries the note.
  await csm.page.goto('/outbox');
  const messages = csm.page.getByTestId('outbox-message');
  await expect(messages.filter({ hasText: `to ${ACCOUNTS.otherCustomerAdmin}` }).filter({ hasText: 'Use port 5439' })).not.toHaveCount(0);
  await expect(
    messages.filter({ hasText: `to ${ACCOUNTS.csm}` }).filter({ hasText: 'Which account should hold the cluster?' }),
  ).toHaveCount(1);
  await expect(
    messages.filter({ hasText: `to ${ACCOUNTS.otherCustomerAdmin}` }).filter({ hasText: 'The one you run the warehouse in.' }),
  ).toHaveCount(1);
  expect((await csm.page.getByTestId('outbox-list').textContent()) ?? '').not.toContain(NOTE);

  await Promise.all([customerCtx.close(), viewerCtx.close(), csm.close()]);
});
