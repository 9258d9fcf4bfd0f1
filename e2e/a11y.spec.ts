import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn } from './support';
import { caseIdOf, fillField, next } from './wizard-support';

// axe-core on the pages customers use: no serious or critical violation (WCAG 2.1 A/AA rules).
async function expectNoSeriousViolations(page: Page, what: string) {
  // Next swaps the <title> when a client-side navigation's payload has arrived: let it settle first.
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.title.includes('PrivateLink Portal'));
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} – ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('sign-in, warehouse choice, wizard steps with errors, review and case pages pass axe', async ({ page }) => {
  await page.goto('/signin');
  await expectNoSeriousViolations(page, 'sign-in');
  await signIn(page, ACCOUNTS.customerAdmin);
  await expectNoSeriousViolations(page, 'cases');
  await page.goto('/cases/new');
  await expectNoSeriousViolations(page, 'new case');
  await page.getByRole('button', { name: 'Set up RDS Postgres' }).click();
  await page.waitForURL(/\/setup/);
  await expectNoSeriousViolations(page, 'wizard step');
  await fillField(page, 'inboundEnforcement', 'on');
  await page.getByRole('button', { name: 'Add an inbound rule' }).click();
  await next(page);
  await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'wizard step with errors');
  await page.getByRole('button', { name: /Review/ }).click();
  await expectNoSeriousViolations(page, 'review');
  await page.goto(`/cases/${caseIdOf(page)}`);
  await expectNoSeriousViolations(page, 'case page');
});

test('the wizard can be completed with the keyboard alone', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Snowflake' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/setup/);
  await page.locator('#field-region').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('#field-privatelinkEnabled')).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeFocused();
  const submit = page.getByRole('button', { name: 'Submit request' });
  await submit.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('case-standing')).toHaveText('Waiting for your CSM to review the request');
});
