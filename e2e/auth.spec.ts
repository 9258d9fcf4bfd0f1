import { expect, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';

test('an unauthenticated visit redirects to sign-in', async ({ page }) => {
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fcases/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await snap(page, 'signin');
});

const LANDINGS = [
  { who: 'customer admin', email: ACCOUNTS.customerAdmin, path: '/cases', heading: 'PrivateLink connections' },
  { who: 'customer viewer', email: ACCOUNTS.customerViewer, path: '/cases', heading: 'PrivateLink connections' },
  { who: 'CSM', email: ACCOUNTS.csm, path: '/queue', heading: 'Work queue' },
  { who: 'engineer', email: ACCOUNTS.engineer, path: '/endpoints', heading: 'Edge endpoints' },
  { who: 'admin', email: ACCOUNTS.admin, path: '/admin', heading: 'Administration' },
];

for (const l of LANDINGS) {
  test(`a ${l.who} signs in and lands on ${l.path}`, async ({ page }) => {
    await signIn(page, l.email);
    await expect(page).toHaveURL(new RegExp(`${l.path}$`));
    await expect(page.getByRole('heading', { level: 1, name: l.heading })).toBeVisible();
    await snap(page, `landing-${l.who.replace(/\s+/g, '-')}`);
  });
}

test('a customer sees their workspace usage on the landing page', async ({ page }) => {
  await signIn(page, ACCOUNTS.customerAdmin);
  await expect(page.getByTestId('beta-usage')).toHaveText(/^\d+ of 50 endpoints used · \d+\.\d of 300 GB this month$/);
  await expect(page.getByTestId('current-user')).toHaveText('Ada Lovelace');
  await expect(page.getByRole('banner')).toContainText('Acme Analytics');
});

for (const path of ['/queue', '/endpoints', '/audit', '/admin']) {
  test(`a customer opening ${path} gets the 403 page`, async ({ page }) => {
    await signIn(page, ACCOUNTS.customerAdmin);
    const res = await page.goto(path);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'This page is not available to your role' })).toBeVisible();
  });
}

test('a CSM cannot open the audit log or admin', async ({ page }) => {
  await signIn(page, ACCOUNTS.csm);
  expect((await page.goto('/audit'))?.status()).toBe(403);
  expect((await page.goto('/admin'))?.status()).toBe(403);
  expect((await page.goto('/queue'))?.status()).toBe(200);
});

test('sign-out ends the session', async ({ page }) => {
  await signIn(page, ACCOUNTS.engineer);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/endpoints');
  await expect(page).toHaveURL(/\/signin/);
});

test('the sign-in page answers a wrong password and an unknown e-mail with the same sentence', async ({ page }) => {
  const noMatch =
    'That e-mail address and password do not match an account. Check both, or ask your workspace administrator to invite you. 4 attempts left before sign-ins with this e-mail address from your network pause for 15 minutes.';
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(ACCOUNTS.otherCustomerViewer);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('signin-error')).toHaveText(noMatch);
  await expect(page.getByTestId('signin-error')).toBeFocused();

  await page.getByLabel('E-mail').fill('nobody@nowhere.example');
  await page.getByLabel('Password').fill('whatever');
  // The same sentence as before: wait for this attempt's own answer before reading it.
  const answered = page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials'));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await answered;
  await expect(page.getByTestId('signin-error')).toHaveText(noMatch);
  await snap(page, 'signin-error');
});

test('health reports the database round trip', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe('ok');
  expect(body.database.roundTripMs).toBeGreaterThanOrEqual(0);
});
