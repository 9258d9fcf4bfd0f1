import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { IDP_ISSUER, type Misbehaviour, startIdp } from './idp';
import { ACCOUNTS, PASSWORD, signIn, snap } from './support';

// Staff single sign-on against a real OpenID provider (e2e/idp.ts) over real HTTP in Chromium: the groups the IdP
// sends decide the role at every sign-in, what it takes away ends the old sessions, customers never come in this way,
// and an ID token that does not verify signs no one in.

// The portal's role for each IdP group and the page each role lands on, as the README documents the default
// OIDC_ROLE_MAP and docs/design.md the landing pages — written here, not taken from the code.
const MAPPED: { group: string; role: string; landing: string }[] = [
  { group: 'portal-admins', role: 'admin', landing: '/admin' },
  { group: 'portal-engineers', role: 'engineer', landing: '/endpoints' },
  { group: 'portal-csms', role: 'csm', landing: '/queue' },
];

const NO_ROLE = /no group that grants a portal role/;
const CUSTOMER = /Single sign-on is for staff only\. This e-mail address belongs to a customer account/;
const UNVERIFIED = /identity provider’s answer could not be verified, so you were not signed in/;

let idp: Awaited<ReturnType<typeof startIdp>>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  idp = await startIdp(new URL(baseURL!).origin);
});

test.afterAll(async () => {
  idp.misbehave(null);
  await auditor?.close();
  await idp.close();
});

/** Start at the portal's sign-in page, choose SSO and sign in at the IdP's own page as `login` (`atIdp` runs there). */
async function ssoSignIn(page: Page, login: string, screenshot?: string, atIdp?: () => Promise<void>) {
  await page.goto('/signin');
  if (screenshot) await snap(page, `${screenshot}-portal`);
  await page.getByRole('button', { name: 'Sign in with SSO (staff)' }).click();
  await page.waitForURL((url) => url.origin === IDP_ISSUER);
  await atIdp?.();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  if (screenshot) await snap(page, `${screenshot}-idp`);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.origin !== IDP_ISSUER && !url.pathname.startsWith('/api/auth/'));
}

async function sessionOf(context: BrowserContext): Promise<{ user?: { email: string; role: string } }> {
  const res = await context.request.get('/api/auth/session');
  expect(res.status()).toBe(200);
  return (await res.json()) as { user?: { email: string; role: string } };
}

async function hasSessionCookie(context: BrowserContext): Promise<boolean> {
  return (await context.cookies()).some((c) => c.name.endsWith('next-auth.session-token'));
}

/** A new browser holding a copy of another's cookies, as a thief would. */
async function withCopiedCookies(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
  return browser.newContext({ storageState: { cookies: await from.cookies(), origins: [] } });
}

/** Expect the browser to be signed out: no session cookie, an empty session, and a staff page sends it to sign-in. */
async function expectSignedOut(context: BrowserContext) {
  expect(await hasSessionCookie(context)).toBe(false);
  expect(await sessionOf(context)).toEqual({});
}

async function expectSessionEnded(context: BrowserContext) {
  expect(await sessionOf(context)).toEqual({});
  const page = await context.newPage();
  await page.goto('/endpoints');
  expect(new URL(page.url()).pathname).toBe('/signin');
}

type AuditRow = Record<string, string>;

let auditor: BrowserContext | null = null;

/** Audit rows as the engineers' export gives them (filtered by actor e-mail and action), read by one signed-in engineer. */
async function auditRows(browser: Browser, query: Record<string, string>): Promise<AuditRow[]> {
  if (!auditor) {
    auditor = await browser.newContext();
    await signIn(await auditor.newPage(), ACCOUNTS.engineer);
  }
  const res = await auditor.request.get(`/api/audit/export?${new URLSearchParams(query)}`);
  expect(res.status()).toBe(200);
  return parse(await res.text(), { columns: true, skip_empty_lines: true }) as AuditRow[];
}

const after = (row: AuditRow) => JSON.parse(row.after || 'null') as Record<string, unknown>;

test('a user in a mapped group signs in through “Sign in with SSO” and gets that group’s role', async ({ browser }) => {
  for (const { group, role, landing } of MAPPED) {
    const login = `new-${role}`;
    const email = `${login}@staff.example`;
    idp.setUser(login, { email, name: `New ${role}`, groups: ['everyone', group] });
    const context = await browser.newContext();
    const page = await context.newPage();
    await ssoSignIn(page, login, role === 'engineer' ? 'sso-sign-in' : undefined);
    await expect(page.getByTestId('current-user')).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(landing);
    expect((await sessionOf(context)).user).toMatchObject({ email, role });
    if (role === 'engineer') await snap(page, 'sso-signed-in-engineer');
    await context.close();

    const rows = await auditRows(browser, { actor: email });
    const created = rows.find((r) => r.action === 'user.created_by_sso');
    expect(created && after(created)).toEqual({ email, role });
    const signedIn = rows.find((r) => r.action === 'auth.sign_in');
    expect(signedIn && after(signedIn)).toEqual({ method: 'sso' });
    expect(signedIn?.source_ip).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(signedIn?.request_id).toMatch(/^[0-9a-f-]{36}$/);
  }
});

test('the most privileged of several mapped groups wins', async ({ browser }) => {
  idp.setUser('multi', { email: 'multi@staff.example', name: 'Multi', groups: ['portal-csms', 'portal-admins', 'portal-engineers'] });
  const context = await browser.newContext();
  await ssoSignIn(await context.newPage(), 'multi');
  expect((await sessionOf(context)).user?.role).toBe('admin');
  await context.close();
});

test('a group removed at the IdP downgrades the role at the next sign-in and ends the session from before', async ({ browser }) => {
  const email = 'dana@staff.example';
  idp.setUser('dana', { email, name: 'Dana', groups: ['portal-engineers'] });
  const before = await browser.newContext();
  await ssoSignIn(await before.newPage(), 'dana');
  expect((await sessionOf(before)).user?.role).toBe('engineer');
  const copy = await withCopiedCookies(browser, before);
  expect((await sessionOf(copy)).user?.role).toBe('engineer');

  idp.setUser('dana', { email, name: 'Dana', groups: ['portal-csms'] });
  const again = await browser.newContext();
  const page = await again.newPage();
  await ssoSignIn(page, 'dana');
  await expect(page.getByTestId('current-user')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/queue');
  expect((await sessionOf(again)).user?.role).toBe('csm');

  // The engineer session from before, in its own browser and in the copy, no longer works: not even as a CSM.
  await expectSessionEnded(copy);
  await expectSessionEnded(before);
  const changed = (await auditRows(browser, { actor: email, action: 'user.role_changed_by_sso' }))[0];
  expect(changed && [JSON.parse(changed.before!), after(changed)]).toEqual([{ role: 'engineer' }, { role: 'csm' }]);
  await Promise.all([before.close(), copy.close(), again.close()]);
});

test('every mapped group removed at the IdP refuses the next sign-in and ends the session from before', async ({ browser }) => {
  const email = 'omar@staff.example';
  idp.setUser('omar', { email, name: 'Omar', groups: ['portal-admins'] });
  const before = await browser.newContext();
  await ssoSignIn(await before.newPage(), 'omar');
  expect((await sessionOf(before)).user?.role).toBe('admin');
  const copy = await withCopiedCookies(browser, before);

  idp.setUser('omar', { email, name: 'Omar', groups: ['everyone'] });
  const again = await browser.newContext();
  const page = await again.newPage();
  await ssoSignIn(page, 'omar');
  await expect(page.getByTestId('signin-error')).toHaveText(NO_ROLE);
  await expectSignedOut(again);
  await expectSessionEnded(copy);
  await Promise.all([before.close(), copy.close(), again.close()]);
});

test('a user in no mapped group is refused with a clear message, and no account or session is made', async ({ browser }) => {
  const email = 'nogroup@staff.example';
  idp.setUser('nogroup', { email, name: 'No Group', groups: ['everyone', 'portal-admin' /* not portal-admins */] });
  const context = await browser.newContext();
  const page = await context.newPage();
  await ssoSignIn(page, 'nogroup');
  expect(new URL(page.url()).pathname).toBe('/signin');
  const message = page.getByTestId('signin-error');
  await expect(message).toHaveText(NO_ROLE);
  await expect(message).toContainText('Ask an administrator to add you to one');
  // The sign-in form is still there to use, with the message above it, not an error page.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('E-mail')).toBeVisible();
  await snap(page, 'sso-refused-no-group');
  // The refusal screen passes axe (WCAG 2.1 A/AA) like the plain sign-in page does in e2e/a11y.spec.ts.
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  // From the keyboard: Tab from the password goes to "Sign in", then to "Sign in with SSO (staff)".
  await page.getByLabel('Password').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Sign in with SSO (staff)' })).toBeFocused();
  await expectSignedOut(context);
  await context.close();

  const rows = await auditRows(browser, { actor: email });
  expect(rows.map((r) => [r.action, after(r)])).toEqual([
    ['auth.sign_in_refused', { method: 'sso', reason: 'no_role', groups: ['everyone', 'portal-admin'] }],
  ]);
});

test('a customer’s e-mail never comes in through SSO, whatever its groups', async ({ browser }) => {
  // The IdP vouches for the customer admin's address (in another spelling too) and puts it in the admin group.
  for (const [login, email] of [
    ['ada-at-idp', ACCOUNTS.customerAdmin],
    ['ada-shouting', ACCOUNTS.customerAdmin.toUpperCase()],
    ['victor-at-idp', ACCOUNTS.customerViewer],
  ] as const) {
    idp.setUser(login, { email, name: 'Ada', groups: ['portal-admins'] });
    const context = await browser.newContext();
    const page = await context.newPage();
    await ssoSignIn(page, login);
    await expect(page.getByTestId('signin-error')).toHaveText(CUSTOMER);
    if (login === 'ada-at-idp') await snap(page, 'sso-refused-customer');
    await expectSignedOut(context);
    await context.close();
  }
  // The customer account is as it was: its owner signs in with the password and is still the workspace's admin.
  const owner = await browser.newContext();
  await signIn(await owner.newPage(), ACCOUNTS.customerAdmin);
  expect((await sessionOf(owner)).user).toMatchObject({ email: ACCOUNTS.customerAdmin, role: 'customer_admin' });
  await owner.close();
  const refused = (await auditRows(browser, { actor: ACCOUNTS.customerAdmin, action: 'auth.sign_in_refused' })).map(after);
  expect(refused.filter((a) => a.method === 'sso' && a.reason === 'customer')).toHaveLength(2);
});

test.describe('the ID token is verified', () => {
  const login = 'ivy';
  const email = 'ivy@staff.example';

  test.beforeAll(() => {
    idp.setUser(login, { email, name: 'Ivy', groups: ['portal-engineers'] });
  });

  test('an honest sign-in first, so that there is a token and a nonce to replay', async ({ browser }) => {
    idp.misbehave(null);
    const context = await browser.newContext();
    await ssoSignIn(await context.newPage(), login);
    expect((await sessionOf(context)).user).toMatchObject({ email, role: 'engineer' });
    await context.close();
  });

  const FORGED: { how: Misbehaviour; what: string }[] = [
    { how: 'foreign-key', what: 'signed with a key that is not in the IdP’s JWKS' },
    { how: 'unsigned', what: 'not signed at all (alg none)' },
    { how: 'wrong-audience', what: 'issued to another client (aud)' },
    { how: 'wrong-issuer', what: 'claiming another issuer (iss)' },
    { how: 'wrong-nonce', what: 'carrying the nonce of an earlier sign-in' },
    { how: 'replayed', what: 'replayed from an earlier sign-in' },
  ];
  for (const { how, what } of FORGED) {
    test(`an ID token ${what} is refused and no session is made`, async ({ browser }) => {
      const unverified = async () =>
        (await auditRows(browser, { action: 'auth.sign_in_refused' })).map(after).filter((a) => a.reason === 'unverified_idp_answer')
          .length;
      const refusedBefore = await unverified();
      const issuedBefore = idp.issuedIdTokens().length;
      idp.misbehave(how);
      const context = await browser.newContext();
      const page = await context.newPage();
      await ssoSignIn(page, login, how === 'foreign-key' ? 'sso-forged' : undefined);
      idp.misbehave(null);
      // The forged token was the IdP's answer: the portal had it in hand and refused it.
      expect(idp.issuedIdTokens().length).toBe(issuedBefore + 1);
      expect(new URL(page.url()).pathname).toBe('/signin');
      await expect(page.getByTestId('signin-error')).toHaveText(UNVERIFIED);
      if (how === 'foreign-key') await snap(page, 'sso-refused-forged-token');
      await expectSignedOut(context);
      await context.close();
      // Written once the refusal was answered (lib/auth/options.ts): wait for it to appear.
      await expect.poll(unverified, { timeout: 20_000 }).toBe(refusedBefore + 1);
    });
  }

  test('the same token re-signed with the IdP’s own key is accepted (the forgeries above differ only in what they change)', async ({
    browser,
  }) => {
    idp.misbehave('resigned');
    const context = await browser.newContext();
    await ssoSignIn(await context.newPage(), login);
    idp.misbehave(null);
    expect((await sessionOf(context)).user).toMatchObject({ email, role: 'engineer' });
    await context.close();
  });

  test('a callback request repeated with the cookies it came with is refused and makes no session', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback: string | null = null;
    // The IdP redirects the browser to the callback (a redirect: seen as a request event, never by a route).
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/callback/oidc') callback ??= request.url();
    });
    // The state, PKCE and nonce cookies the callback is checked against, as they are while the browser is at the IdP.
    let cookiesAtCallback: Awaited<ReturnType<BrowserContext['cookies']>> = [];
    await ssoSignIn(page, login, undefined, async () => {
      cookiesAtCallback = (await context.cookies()).filter((c) => c.name.startsWith('next-auth.'));
    });
    expect(cookiesAtCallback.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining(['next-auth.nonce', 'next-auth.pkce.code_verifier', 'next-auth.state']),
    );
    expect((await sessionOf(context)).user?.role).toBe('engineer');
    expect(callback).not.toBeNull();
    await context.close();

    // An attacker who captured the redirect (code, state) and the browser's cookies of that moment sends it again.
    const attacker = await browser.newContext({ storageState: { cookies: cookiesAtCallback, origins: [] } });
    expect(await hasSessionCookie(attacker)).toBe(false);
    const replay = await attacker.newPage();
    await replay.goto(callback!);
    expect(new URL(replay.url()).pathname).toBe('/signin');
    await expect(replay.getByTestId('signin-error')).toHaveText(UNVERIFIED);
    await expectSignedOut(attacker);
    await attacker.close();
  });
});

test('a customer signs in with a password as before, SSO offered beside it', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Sign in with SSO (staff)' })).toBeVisible();
  await page.getByLabel('E-mail').fill(ACCOUNTS.customerViewer);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
});
