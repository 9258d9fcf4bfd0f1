import { expect, test } from '@playwright/test';
import { ACCOUNTS, signIn } from './support';

// A CSP without unsafe-eval, nosniff, a referrer policy and no framing, on pages and API answers.
for (const path of ['/signin', '/api/health']) {
  test(`${path} sends the security headers`, async ({ request }) => {
    const res = await request.get(path);
    const h = res.headers();
    const csp = h['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toContain('unsafe-eval');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(h['x-frame-options']).toBe('DENY');
  });
}

test('pages work under the CSP: every script in the HTML carries the nonce and nothing is blocked', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, ACCOUNTS.engineer);
  await page.goto('/endpoints');
  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { name: 'Work queue' })).toBeVisible();
  // The HTML as served: scripts the parser runs must carry this response's nonce (later ones load via 'strict-dynamic').
  const res = await page.request.get('/queue');
  const nonce = /'nonce-([^']+)'/.exec(res.headers()['content-security-policy'] ?? '')?.[1];
  expect(nonce).toBeTruthy();
  const tags = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  expect(tags.filter((t) => !t.includes(`nonce="${nonce}"`))).toEqual([]);
  expect(violations).toEqual([]);
});

test('a new nonce on every request', async ({ request }) => {
  const a = (await request.get('/signin')).headers()['content-security-policy'];
  const b = (await request.get('/signin')).headers()['content-security-policy'];
  expect(a).not.toBe(b);
});

test('opened at another address than NEXTAUTH_URL, the portal says so and links to the right one', async ({ page, baseURL }) => {
  const configured = new URL(baseURL!);
  // The same server, reached by its IP address: the browser's Origin will not be the configured one.
  const other = `http://127.0.0.1:${configured.port}`;
  await page.goto(`${other}/signin?callbackUrl=%2Fcases`);
  const notice = page.getByRole('alert').filter({ hasText: 'You opened the portal at' });
  await expect(notice).toContainText(`You opened the portal at ${other}`);
  await expect(notice).toContainText(`set up to be used at ${configured.origin}`);
  await expect(notice.getByRole('link', { name: `Open this page at ${configured.origin}` })).toHaveAttribute(
    'href',
    `${configured.origin}/signin?callbackUrl=%2Fcases`,
  );
  await notice.getByRole('link').click();
  await expect(page).toHaveURL(`${configured.origin}/signin?callbackUrl=%2Fcases`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You opened the portal at')).toHaveCount(0);
});
