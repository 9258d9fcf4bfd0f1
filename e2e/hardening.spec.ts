import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, PASSWORD, signIn } from './support';
import { caseIdOf, submitRedshiftCase } from './wizard-support';

// Against the running production build: tenant isolation with real requests, forged cross-site
// POSTs, fuzzed route handlers, and no secret in the browser bundle.

const globexCase = (page: Page) => submitRedshiftCase(page, ACCOUNTS.otherCustomerAdmin, { nodeType: 'ra3.large', port: '5440' });

test('a customer of Acme gets 404 for Globex data and sees nothing of it anywhere', async ({ browser }) => {
  const g = await browser.newContext();
  const globexId = await globexCase(await g.newPage());
  await g.close();

  const a = await browser.newContext();
  const page = await a.newPage();
  await signIn(page, ACCOUNTS.customerAdmin);
  expect((await page.goto(`/cases/${globexId}`))?.status()).toBe(404);
  expect((await page.goto(`/cases/${globexId}/setup`))?.status()).toBe(404);
  expect((await a.request.get(`/api/cases/${globexId}`)).status()).toBe(404);
  expect((await a.request.post(`/api/cases/${globexId}/events`, { data: { event: 'cancel', version: 2 } })).status()).toBe(404);
  // A guessed id answers exactly like a real one of another workspace.
  expect((await a.request.get('/api/cases/00000000-0000-4000-8000-000000000000')).status()).toBe(404);
  // Pages a customer can open, and a staff-only filter tried anyway: Globex's name or case never appears (the usage
  // page ignores a ?workspace= that is not the customer's own; its URL is echoed back, so only the name is checked).
  for (const p of ['/cases', '/cases/new', '/notifications', `/usage?workspace=${globexId}`, '/api/cases/not-a-uuid']) {
    const res = await a.request.get(p);
    expect(res.status(), p).toBeLessThan(500);
    const body = await res.text();
    expect(body.includes('Globex'), `Globex named in ${p}`).toBe(false);
    if (!p.startsWith('/usage')) expect(body.includes(globexId), `Globex case in ${p}`).toBe(false);
  }
  for (const p of ['/api/endpoints/export', '/api/audit/export']) expect((await a.request.get(p)).status(), p).toBe(403);
  await a.close();
});

test('forged cross-site POSTs change nothing', async ({ browser, baseURL }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.customerAdmin);
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Snowflake' }).click();
  await page.waitForURL(/\/setup/);
  const caseId = caseIdOf(page);
  const evil = { origin: 'https://evil.example', referer: 'https://evil.example/page' };

  // Our route handler refuses a cross-site mutation even with the victim's cookie.
  const viaApi = await ctx.request.post(`/api/cases/${caseId}/events`, { headers: evil, data: { event: 'cancel', version: 1 } });
  expect(viaApi.status()).toBe(403);

  // A server action posted from another origin: Next's origin check refuses it.
  const manifest = JSON.parse(readFileSync(path.join('.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName: string }>;
  };
  const actionId = Object.entries(manifest.node).find(([, v]) => v.exportedName === 'caseEventAction')?.[0];
  expect(actionId).toBeTruthy();
  const viaAction = await ctx.request.post(`/cases/${caseId}`, {
    headers: { ...evil, 'next-action': actionId!, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
    data: JSON.stringify([{ caseId, event: 'cancel', version: 1 }]),
  });
  expect(viaAction.status()).toBe(403);

  // next-auth's sign-out needs its CSRF token: a forged one leaves the session alive.
  const forgedSignOut = await ctx.request.post('/api/auth/signout', {
    headers: evil,
    form: { callbackUrl: `${baseURL}/signin` },
    maxRedirects: 0,
  });
  expect(forgedSignOut.status()).not.toBe(200);
  const state = await ctx.request.get(`/api/cases/${caseId}`);
  expect(state.status()).toBe(200);
  expect((await state.json()).state).toBe('draft');

  // And a forged sign-in without the token does not sign anyone in.
  const fresh = await browser.newContext();
  const forgedSignIn = await fresh.request.post('/api/auth/callback/credentials', {
    headers: evil,
    form: { email: ACCOUNTS.customerAdmin, password: PASSWORD, json: 'true' },
    maxRedirects: 0,
  });
  expect(forgedSignIn.headers()['set-cookie'] ?? '').not.toContain('session-token');
  await fresh.close();
  await ctx.close();
});

test('route handlers answer fuzzed input with 4xx and a message, never 5xx', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.engineer);
  const text = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      "' OR 1=1 --",
      '<script>x</script>',
      '%00',
      '\u0000',
      'a\uD800b',
      '\u202Eevil',
      '\u2066x\u2069',
      '0000-01-01',
      '9999-12-31',
      '../..',
      'x'.repeat(5000),
      '😀',
    ),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.uuid(), text),
      fc.dictionary(
        fc.constantFrom('event', 'version', 'note', 'payload', 'caseId', '__proto__'),
        fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean()),
        { maxKeys: 4 },
      ),
      fc.dictionary(
        fc.constantFrom('q', 'page', 'sort', 'dir', 'state', 'workspace', 'region', 'warehouse', 'actor', 'action', 'from', 'to', 'flag'),
        text,
        { maxKeys: 5 },
      ),
      async (id, body, query) => {
        const qs = new URLSearchParams(query).toString();
        // A lone surrogate has no UTF-8 form, so encodeURIComponent throws: send the bytes it would have (invalid UTF-8).
        let path: string;
        try {
          path = encodeURIComponent(id);
        } catch {
          path = '%ED%A0%80';
        }
        const responses = await Promise.all([
          ctx.request.post(`/api/cases/${path}/events`, { data: body }),
          ctx.request.get(`/api/cases/${path}`),
          ctx.request.get(`/api/endpoints/export?${qs}`),
          ctx.request.get(`/api/audit/export?${qs}`),
        ]);
        for (const r of responses) {
          expect(r.status(), r.url()).toBeLessThan(500);
          if (r.status() >= 400) expect((await r.json()).error, r.url()).toBeTruthy();
        }
      },
    ),
    { numRuns: 30, seed: 77 },
  );
  await ctx.close();
});

test('control characters, broken characters and out-of-range dates get a clear 4xx or field error, never a 500', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.engineer);
  const range = 'must lie between 2000-01-01 and 2099-12-31';

  const exportTo = await ctx.request.get('/api/audit/export?to=9999-12-31');
  expect(exportTo.status()).toBe(422);
  expect((await exportTo.json()).fieldErrors.to.join(' ')).toContain(`The “to” date ${range}`);
  const exportFrom = await ctx.request.get('/api/audit/export?from=0000-01-01');
  expect(exportFrom.status()).toBe(422);
  expect((await exportFrom.json()).fieldErrors.from.join(' ')).toContain(`The “from” date ${range}`);
  const exportActor = await ctx.request.get(`/api/audit/export?actor=${encodeURIComponent('ada\u0000')}`);
  expect(exportActor.status()).toBe(422);
  expect((await exportActor.json()).fieldErrors.actor.join(' ')).toContain('Must not contain control characters');
  const search = await ctx.request.get(`/api/endpoints/export?q=${encodeURIComponent('vpce\u0000')}`);
  expect(search.status()).toBe(422);
  expect((await search.json()).fieldErrors.q.join(' ')).toContain('control characters');
  const note = await ctx.request.post('/api/cases/00000000-0000-4000-8000-000000000000/events', {
    data: { event: 'cancel', version: 1, note: 'why\u0000' },
  });
  expect(note.status()).toBe(422);
  expect((await note.json()).fieldErrors.body.join(' ')).toContain('note: Must not contain control characters');

  for (const q of ['from=0000-01-01', 'to=9999-12-31']) {
    const res = await page.goto(`/audit?${q}`);
    expect(res?.status(), q).toBeLessThan(500);
    await expect(page.getByText(range).first()).toBeVisible();
  }
  const endpoints = await page.goto(`/endpoints?q=${encodeURIComponent('vpce\u0000')}`);
  expect(endpoints?.status()).toBeLessThan(500);
  await expect(page.getByTestId('search-error')).toContainText('Search: Must not contain control characters');
  await ctx.close();
});

test('the browser bundle holds no secret', async () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(path.join('.next', 'static'));
  expect(files.length).toBeGreaterThan(5);
  const secret = readFileSync(path.join('.data-e2e', 'nextauth-secret'), 'utf8').trim();
  const needles = [
    secret,
    PASSWORD,
    'NEXTAUTH_SECRET',
    'OIDC_CLIENT_SECRET',
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'passwordHash',
    'password_hash',
    'AWS_SECRET_ACCESS_KEY',
  ];
  if (process.env.TEST_DATABASE_URL) needles.push(process.env.TEST_DATABASE_URL);
  const found: string[] = [];
  for (const f of files) {
    const body = readFileSync(f, 'utf8');
    for (const n of needles) if (n && body.includes(n)) found.push(`${n.slice(0, 12)}… in ${f}`);
    if (/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/.test(body)) found.push(`a bcrypt hash in ${f}`);
    if (/AKIA[0-9A-Z]{16}/.test(body)) found.push(`an AWS access key id in ${f}`);
  }
  expect(found).toEqual([]);
});

test('mutations leave audit rows with actor, role, request id and source address; the session cookie is HttpOnly and SameSite=Lax', async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, ACCOUNTS.customerAdmin);
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name.includes('next-auth.session-token'));
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  await page.goto('/cases/new');
  await page.getByRole('button', { name: 'Set up Databricks' }).click();
  await page.waitForURL(/\/setup/);
  const caseId = caseIdOf(page);
  await ctx.close();

  const eng = await browser.newContext();
  await signIn(await eng.newPage(), ACCOUNTS.engineer);
  const csv = await (await eng.request.get('/api/audit/export?action=case.create')).text();
  // A real CSV parser: e-mails, actions and JSON details may hold commas and quotes.
  const rows: Record<string, string>[] = parse(csv, { columns: true, skip_empty_lines: true });
  const cells = rows.find((r) => r.target_id === caseId);
  expect(cells, 'the case.create audit row').toBeTruthy();
  expect(cells).toMatchObject({
    action: 'case.create',
    actor_email: ACCOUNTS.customerAdmin,
    actor_role: 'customer_admin',
    target_type: 'case',
  });
  expect(cells!.request_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(cells!.source_ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  await eng.close();
});

test('every route handler answers each role (and the signed-out) as the expected table says', async ({ browser }) => {
  const someCase = '00000000-0000-4000-8000-000000000001';
  // Written out independently of the policy module: who may call each route at all, one column per role in the order
  // customer_admin, customer_viewer, csm, engineer, admin ("Y" allowed, "." refused with 403).
  const ROLE_ORDER = ['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin'];
  const routes = [
    { method: 'GET', path: `/api/cases/${someCase}`, allowed: 'YYYYY' },
    { method: 'POST', path: `/api/cases/${someCase}/events`, allowed: 'Y.YY.' },
    { method: 'POST', path: `/api/cases/${someCase}/inputs`, allowed: 'Y....' },
    { method: 'GET', path: `/api/changes?case=${someCase}`, allowed: 'YYYYY' },
    { method: 'GET', path: '/api/changes?list=queue', allowed: '..YYY' },
    { method: 'GET', path: '/api/endpoints/export', allowed: '...Y.' },
    { method: 'GET', path: '/api/audit/export', allowed: '...YY' },
  ] as const;
  // The public API takes API tokens only (its role matrix is test/api.authorization.integration.test.ts): a session
  // cookie, whoever's, gets 401 there.
  const tokenOnly = [
    { method: 'GET', path: '/api/v1/cases' },
    { method: 'POST', path: '/api/v1/cases' },
    { method: 'GET', path: `/api/v1/cases/${someCase}` },
    { method: 'POST', path: `/api/v1/cases/${someCase}/events` },
    { method: 'GET', path: '/api/v1/usage' },
  ] as const;
  const people = [
    ['customer_admin', ACCOUNTS.customerAdmin],
    ['customer_viewer', ACCOUNTS.customerViewer],
    ['csm', ACCOUNTS.csm],
    ['engineer', ACCOUNTS.engineer],
    ['admin', ACCOUNTS.admin],
    ['signed-out', null],
  ] as const;
  const wrong: string[] = [];
  for (const [role, email] of people) {
    const ctx = await browser.newContext();
    if (email) await signIn(await ctx.newPage(), email);
    for (const r of routes) {
      const res = r.method === 'GET' ? await ctx.request.get(r.path) : await ctx.request.post(r.path, { data: {} });
      const expected = role === 'signed-out' ? [401] : r.allowed[ROLE_ORDER.indexOf(role)] === 'Y' ? null : [403];
      const ok = expected ? expected.includes(res.status()) : ![401, 403].includes(res.status()) && res.status() < 500;
      if (!ok) wrong.push(`${role} ${r.method} ${r.path}: ${res.status()}`);
    }
    for (const r of tokenOnly) {
      const res = r.method === 'GET' ? await ctx.request.get(r.path) : await ctx.request.post(r.path, { data: {} });
      if (res.status() !== 401) wrong.push(`${role} ${r.method} ${r.path} with a session: ${res.status()}`);
    }
    expect((await ctx.request.get('/api/health')).status()).toBe(200);
    await ctx.close();
  }
  expect(wrong).toEqual([]);
});
