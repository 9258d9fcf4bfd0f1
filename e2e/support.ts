import { expect, type Page } from '@playwright/test';

export const PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-Password-1';

export const ACCOUNTS = {
  customerAdmin: 'ada@acme.example',
  customerViewer: 'victor@acme.example',
  otherCustomerAdmin: 'grace@globex.example',
  otherCustomerViewer: 'vera@globex.example',
  csm: 'casey@portal.example',
  engineer: 'erin@portal.example',
  engineer2: 'frank@portal.example',
  admin: 'alex@portal.example',
} as const;

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** Save a full-page screenshot as a test artifact (e2e-artifacts/<name>.png). */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `e2e-artifacts/${name}.png`, fullPage: true });
}
