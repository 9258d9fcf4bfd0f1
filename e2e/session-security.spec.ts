import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type APIRequestContext, type BrowserContext, expect, test } from '@playwright/test';
import { ACCOUNTS, PASSWORD, signIn } from './support';

// Sign-in and session hardening against the production server over real HTTP: where the browser goes after signing
// in, which address and request id the audit log records, and that a signed-out session stays dead.

/** Audit rows (columns up to source_ip; the JSON columns after it are left out) as exported for an engineer. */
async function auditRows(api: APIRequestContext, query: Record<string, string>) {
  const res = await api.get(`/api/audit/export?${new URLSearchParams(query)}`);
  expect(res.status()).toBe(200);
  const [head, ...lines] = (await res.text()).split('\r\n').filter(Boolean);
  const header = head!.split(',');
  const upTo = header.indexOf('before');
  return {
    raw: lines.join('\n'),
    rows: lines.map((l) => Object.fromEntries(header.slice(0, upTo).map((h, i) => [h, l.split(',')[i] ?? '']))),
  };
}

async function engineerApi(browser: import('@playwright/test').Browser) {
  const ctx = await browser.newContext();
  await signIn(await ctx.newPage(), ACCOUNTS.engineer);
  return ctx;
}

/** Sign in through next-auth's own endpoints (CSRF token first), as a script would; returns the JSON answer. */
async function postSignIn(api: APIRequestContext, form: Record<string, string>, headers: Record<string, string> = {}) {
  const { csrfToken } = (await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await api.post('/api/auth/callback/credentials', { form: { ...form, csrfToken, json: 'true' }, headers, maxRedirects: 0 });
  return {
    status: res.status(),
    body: (await res.json().catch(() => ({}))) as { url?: string },
    setCookie: res.headers()['set-cookie'] ?? '',
  };
}

const FOREIGN_CALLBACKS = [
  '/\\evil.example/x', // what /signin?callbackUrl=/%5Cevil.example/x decodes to
  '/\\evil.example',
  '/\t/evil.example',
  '//evil.example',
  '///evil.example/x',
  'https://evil.example/x',
  'http://localhost:1/cases',
];

test.describe('after sign-in', () => {
  for (const callbackUrl of FOREIGN_CALLBACKS) {
    test(`callbackUrl ${JSON.stringify(callbackUrl)} keeps the browser on the portal`, async ({ page, context, baseURL }) => {
      const strayed: string[] = [];
      // Matched on the host, not the URL: the sign-in page's own URL names evil.example in its query.
      await context.route(
        (url) => url.hostname === 'evil.example' || url.port === '1',
        (r) => {
          strayed.push(r.request().url());
          return r.fulfill({ status: 200, body: 'somewhere else' });
        },
      );
      await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await page.getByLabel('E-mail').fill(ACCOUNTS.customerViewer);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByTestId('current-user')).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(strayed).toEqual([]);
    });
  }

  test('a same-origin callbackUrl is followed, path and query intact', async ({ page }) => {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent('/notifications?from=signin')}`);
    await page.getByLabel('E-mail').fill(ACCOUNTS.customerViewer);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('current-user')).toBeVisible();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/notifications?from=signin');
  });

  test('next-auth’s own redirect answer stays on the portal', async ({ playwright, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    for (const callbackUrl of FOREIGN_CALLBACKS) {
      const api = await playwright.request.newContext({ baseURL });
      const { body } = await postSignIn(api, { email: ACCOUNTS.customerViewer, password: PASSWORD, callbackUrl });
      expect(new URL(body.url ?? '', 'http://unparsed.invalid').origin, callbackUrl).toBe(origin);
      await api.dispose();
    }
  });
});

test('a forged X-Forwarded-For or X-Request-Id never reaches the audit log', async ({ browser }) => {
  const forged = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.66', 'x-request-id': 'forged-request-id' } });
  const page = await forged.newPage();
  await signIn(page, ACCOUNTS.customerViewer);
  const answer = await forged.request.get('/api/health');
  expect(answer.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  await forged.close();

  const eng = await engineerApi(browser);
  const { rows, raw } = await auditRows(eng.request, { action: 'auth.sign_in', actor: ACCOUNTS.customerViewer });
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.source_ip).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(row.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  }
  expect(raw).not.toContain('203.0.113.66');
  expect(raw).not.toContain('forged-request-id');
  await eng.close();
});

/**
 * Sign-in attempts through next-auth's endpoints from another loopback address (Playwright cannot choose its source
 * address, node:http can), so that the locks they provoke block no other test.
 */
function fromOtherAddress(baseURL: string, localAddress = '127.0.0.2') {
  const { port } = new URL(baseURL);
  let cookie = '';
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method, localAddress, headers: { ...headers, cookie } }, (res) => {
        for (const c of res.headers['set-cookie'] ?? []) cookie = [cookie, c.split(';')[0]].filter(Boolean).join('; ');
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          data += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const { csrfToken } = JSON.parse((await send('GET', '/api/auth/csrf')).body) as { csrfToken: string };
    const res = await send(
      'POST',
      '/api/auth/callback/credentials',
      { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ ...form, csrfToken, json: 'true' }).toString(),
    );
    return { url: decodeURIComponent((JSON.parse(res.body) as { url?: string }).url ?? ''), signedIn: cookie.includes('session-token=') };
  };
}

test('rotating X-Forwarded-For does not get around the per-address lockout', async ({ browser, baseURL }) => {
  const attempt = fromOtherAddress(baseURL!);
  const prefix = `nobody-${Date.now()}`;
  for (let i = 0; i < 50; i++) {
    const { url } = await attempt(
      { email: `${prefix}-${i}@nowhere.example`, password: 'wrong' },
      { 'x-forwarded-for': `198.51.100.${i + 1}` },
    );
    expect(url, `attempt ${i + 1}`).toContain('error=');
  }
  // The right password of a real account, from yet another claimed address: still refused, the address is locked.
  const last = await attempt({ email: ACCOUNTS.otherCustomerViewer, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.200' });
  expect(last.url).toContain('sign-ins from your network are locked');
  expect(last.signedIn).toBe(false);

  const eng = await engineerApi(browser);
  const { rows } = await auditRows(eng.request, { action: 'auth.*', actor: prefix });
  expect(rows).toHaveLength(50);
  expect(new Set(rows.map((r) => r.source_ip))).toEqual(new Set(['127.0.0.2']));
  await eng.close();
});

/** Call a server action over HTTP as the browser would (same Origin); returns the RSC answer's text. */
async function callAction(ctx: BrowserContext, baseURL: string, exportedName: string, args: unknown[]) {
  const manifest = JSON.parse(readFileSync(path.join('.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName)?.[0];
  expect(id, exportedName).toBeTruthy();
  const res = await ctx.request.post('/notifications', {
    headers: {
      origin: new URL(baseURL).origin,
      'next-action': id!,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
    },
    data: JSON.stringify(args),
  });
  return { status: res.status(), text: await res.text() };
}

test('a copied session cookie stops working once its owner signs out', async ({ browser, baseURL }) => {
  const owner = await browser.newContext();
  const page = await owner.newPage();
  await signIn(page, ACCOUNTS.csm);
  const copy = await browser.newContext();
  await copy.addCookies(await owner.cookies());
  const copyPage = await copy.newPage();
  await copyPage.goto('/queue');
  await expect(copyPage.getByRole('heading', { name: 'Work queue' })).toBeVisible();
  expect((await callAction(copy, baseURL!, 'markNotificationsReadAction', [{}])).text).toContain('"ok":true');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);

  await copyPage.goto('/queue');
  await expect(copyPage).toHaveURL(/\/signin/);
  await expect(copyPage.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const action = await callAction(copy, baseURL!, 'markNotificationsReadAction', [{}]);
  expect(action.text).toContain('"code":"unauthenticated"');
  expect((await copy.request.get('/api/cases/00000000-0000-4000-8000-000000000000')).status()).toBe(401);
  const session = await copy.request.get('/api/auth/session');
  expect(await session.json()).toEqual({});
  // …and it is not renewed: no fresh token comes back, only (at most) the cookie's removal.
  expect(session.headers()['set-cookie'] ?? '').not.toMatch(/session-token=[^;]+\./);
  await copy.close();
  await owner.close();
});

test('“Sign out everywhere” ends the account’s sessions in other browsers too', async ({ browser }) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signIn(pageA, ACCOUNTS.engineer2);
  await signIn(pageB, ACCOUNTS.engineer2);
  await pageA.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(pageA).toHaveURL(/\/signin/);
  await pageB.goto('/endpoints');
  await expect(pageB).toHaveURL(/\/signin/);

  const eng = await engineerApi(browser);
  const { rows } = await auditRows(eng.request, { action: 'auth.sign_out_everywhere', actor: ACCOUNTS.engineer2 });
  expect(rows).toHaveLength(1);
  expect(rows[0]!.source_ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  await Promise.all([a.close(), b.close(), eng.close()]);
});

test('sign-out rows carry the request id and source address', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await ctx.close();
  const eng = await engineerApi(browser);
  const { rows } = await auditRows(eng.request, { action: 'auth.sign_out', actor: ACCOUNTS.customerAdmin });
  expect(rows.length).toBeGreaterThan(0);
  expect(rows[0]!.request_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(rows[0]!.source_ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  await eng.close();
});

test('cross-site requests get 403, whatever X-Forwarded-Host claims; a null Origin too', async ({ browser, baseURL }) => {
  const ctx = await browser.newContext();
  await signIn(await ctx.newPage(), ACCOUNTS.customerAdmin);
  const someCase = '00000000-0000-4000-8000-000000000000';
  const viaApi = await ctx.request.post(`/api/cases/${someCase}/events`, {
    headers: { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' },
    data: { event: 'cancel', version: 1 },
  });
  expect(viaApi.status()).toBe(403);
  for (const origin of ['null', 'https://evil.example', `${new URL(baseURL!).protocol}//127.0.0.1:${new URL(baseURL!).port}`]) {
    const res = await ctx.request.post('/notifications', {
      headers: {
        origin,
        'x-forwarded-host': new URL(origin === 'null' ? 'http://x' : origin).host,
        'next-action': 'x',
        'content-type': 'text/plain;charset=UTF-8',
      },
      data: '[{}]',
    });
    expect(res.status(), origin).toBe(403);
  }
  await ctx.close();
});

test('authenticated route handlers answer Cache-Control: no-store', async ({ browser }) => {
  const ctx = await browser.newContext();
  await signIn(await ctx.newPage(), ACCOUNTS.engineer);
  for (const p of ['/api/cases/00000000-0000-4000-8000-000000000000', '/api/cases/not-a-uuid', '/api/endpoints/export']) {
    const res = await ctx.request.get(p);
    expect(res.headers()['cache-control'], p).toBe('no-store');
  }
  await ctx.close();
});

test('an administrator clears an account’s failed sign-ins and its owner signs in again', async ({ browser, baseURL }) => {
  const attempt = fromOtherAddress(baseURL!, '127.0.0.3');
  for (let i = 0; i < 5; i++) await attempt({ email: ACCOUNTS.customerViewer, password: `wrong-${i}` });
  const locked = await attempt({ email: ACCOUNTS.customerViewer, password: PASSWORD });
  expect(locked.url).toContain('sign-ins with this e-mail address from your network are locked');

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.admin);
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Victor Viewer' }).first().click();
  await page.getByRole('button', { name: 'Clear failed sign-ins' }).click();
  await expect(page.getByTestId('unlock-message')).toHaveText('Victor Viewer can sign in again: their failed sign-ins are cleared.');

  const again = await fromOtherAddress(baseURL!, '127.0.0.3')({ email: ACCOUNTS.customerViewer, password: PASSWORD });
  expect(again.signedIn).toBe(true);
  const { rows } = await auditRows(ctx.request, { action: 'user.unlock' });
  expect(rows[0]).toMatchObject({ actor_email: ACCOUNTS.admin, action: 'user.unlock' });
  await ctx.close();
});
