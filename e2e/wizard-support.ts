import { type Browser, expect, type Page } from '@playwright/test';
import { PASSWORD, signIn } from './support';

/** Fill one wizard field by its name, whatever its kind. */
export async function fillField(page: Page, name: string, value: string | boolean) {
  const el = page.locator(`#field-${name}`);
  const tag = await el.evaluate((e) => `${e.tagName}:${(e as HTMLInputElement).type}`);
  if (tag === 'INPUT:checkbox') {
    if (value) await el.check();
    else await el.uncheck();
  } else if (tag.startsWith('SELECT')) {
    await el.selectOption(String(value));
  } else {
    await el.fill(String(value));
  }
  await el.blur();
}

export async function next(page: Page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

export async function expectFieldError(page: Page, name: string, text: string | RegExp) {
  await expect(page.locator(`#field-${name}-error`)).toContainText(text);
  await expect(page.locator(`#field-${name}`)).toHaveAttribute('aria-invalid', 'true');
}

/** A signed-in API client for a staff member, in its own browser context (its own session cookie). */
export async function staffApi(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  return {
    async caseState(caseId: string) {
      const res = await context.request.get(`/api/cases/${caseId}`);
      expect(res.status()).toBe(200);
      return (await res.json()) as {
        reference: string;
        state: string;
        version: number;
        outputs: Record<string, unknown>;
        updatedAt: string;
      };
    },
    /** Fire an event at the version the case has now; returns the response for assertions. */
    async event(caseId: string, event: string, note?: string) {
      const { version } = await this.caseState(caseId);
      return context.request.post(`/api/cases/${caseId}/events`, { data: { event, version, note } });
    },
    /** This staff member's browser page and API client, for steps through the UI. */
    page,
    request: context.request,
    close: () => context.close(),
  };
}

/** The case id from a /cases/:id or /cases/:id/setup URL. */
export function caseIdOf(page: Page): string {
  const m = /\/cases\/([0-9a-f-]{36})/.exec(page.url());
  if (!m) throw new Error(`no case id in ${page.url()}`);
  return m[1]!;
}

/** Sign in as the customer, fill the Redshift draft with valid values and submit it; returns the case id. */
export async function submitRedshiftCase(page: Page, email: string, cluster: { nodeType: string; port: string }): Promise<string> {
  await signIn(page, email);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Redshift' }).click();
  await page.waitForURL(/\/setup/);
  await fillField(page, 'nodeType', cluster.nodeType);
  await fillField(page, 'relocationEnabled', true);
  await fillField(page, 'port', cluster.port);
  await next(page);
  await page.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  return caseIdOf(page);
}
