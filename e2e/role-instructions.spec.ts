import { type Browser, expect, type Page, test } from '@playwright/test';
import { ACCOUNTS, signIn, snap } from './support';
import { caseIdOf, staffApi, submitRedshiftCase } from './wizard-support';

// For cases in several states, every role's case page gives only instructions that role can carry out: a read-only
// member is never told they must act, a customer page offers only what a customer may press, and staff see enabled
// exactly the actions their role has. The table below is written out independently of the policy and the machine.

type State = 'draft' | 'submitted' | 'awaiting_customer' | 'rejected' | 'cancelled';
type Role = 'customer_admin' | 'customer_viewer' | 'csm' | 'engineer' | 'admin';

// What each customer reads first, and the controls they get (by accessible name).
const CUSTOMER: Record<State, { admin: string; viewer: string; adminControls: string[] }> = {
  draft: {
    admin: 'Draft: finish the setup and submit it',
    viewer: 'Draft: a workspace admin finishes the setup and submits it',
    adminControls: ['Continue setup', 'Cancel this case', 'Send to staff'],
  },
  submitted: {
    admin: 'Waiting for your CSM to review the request',
    viewer: 'Waiting for your CSM to review the request',
    adminControls: ['Cancel this case', 'Send to staff'],
  },
  awaiting_customer: {
    admin: 'Waiting for you: grant access and identify the cluster',
    viewer: 'Waiting for a workspace admin to grant access and identify the cluster',
    adminControls: ['Open the next step', 'Cancel this case', 'Send to staff'],
  },
  rejected: { admin: 'Rejected by your CSM', viewer: 'Rejected by your CSM', adminControls: ['Send to staff'] },
  cancelled: { admin: 'Cancelled', viewer: 'Cancelled', adminControls: ['Send to staff'] },
};
// Every control a customer page could offer: each must be there exactly when the table says.
const CUSTOMER_CONTROLS = ['Continue setup', 'Open the next step', 'Cancel this case', 'Send to staff'];

// The staff actions enabled for each role, by event; every other action shown is disabled with the reason.
const STAFF: Record<State, Record<'csm' | 'engineer' | 'admin', string[]>> = {
  draft: { csm: ['cancel'], engineer: [], admin: [] },
  submitted: { csm: ['accept', 'request_changes', 'reject', 'cancel'], engineer: ['accept', 'request_changes', 'reject'], admin: [] },
  awaiting_customer: { csm: ['cancel'], engineer: [], admin: [] },
  rejected: { csm: [], engineer: [], admin: [] },
  cancelled: { csm: [], engineer: [], admin: [] },
};
const WRITES: Record<'csm' | 'engineer' | 'admin', { message: boolean; note: boolean }> = {
  csm: { message: true, note: true },
  engineer: { message: true, note: true },
  admin: { message: false, note: false },
};

const EMAIL: Record<Role, string> = {
  customer_admin: ACCOUNTS.customerAdmin,
  customer_viewer: ACCOUNTS.customerViewer,
  csm: ACCOUNTS.csm,
  engineer: ACCOUNTS.engineer,
  admin: ACCOUNTS.admin,
};

async function makeCases(browser: Browser): Promise<Record<State, string>> {
  const ctx = await browser.newContext();
  const ada = await ctx.newPage();
  const csm = await staffApi(browser, ACCOUNTS.csm);
  await signIn(ada, ACCOUNTS.customerAdmin);
  await ada.goto('/cases/new');
  await ada.getByRole('button', { name: 'Set up Redshift' }).click();
  await ada.waitForURL(/\/setup/);
  const draft = caseIdOf(ada);
  // Each submission signs in afresh (submitRedshiftCase starts at the sign-in page).
  const submit = async () => {
    const c = await browser.newContext();
    const id = await submitRedshiftCase(await c.newPage(), ACCOUNTS.customerAdmin, { nodeType: 'ra3.4xlarge', port: '5439' });
    await c.close();
    return id;
  };
  const submitted = await submit();
  const awaiting = await submit();
  expect((await csm.event(awaiting, 'accept')).status()).toBe(200);
  const rejected = await submit();
  expect((await csm.event(rejected, 'reject', 'Redshift is not in the beta for this workspace.')).status()).toBe(200);
  const cancelled = await submit();
  expect((await csm.event(cancelled, 'cancel')).status()).toBe(200);
  await Promise.all([ctx.close(), csm.close()]);
  return { draft, submitted, awaiting_customer: awaiting, rejected, cancelled };
}

async function customerPage(page: Page, role: 'customer_admin' | 'customer_viewer', state: State, id: string) {
  await page.goto(`/cases/${id}`);
  const main = page.locator('main');
  const standing = page.locator('section[aria-labelledby="standing"]');
  const expected = CUSTOMER[state];
  await expect(page.getByTestId('case-standing')).toHaveText(role === 'customer_admin' ? expected.admin : expected.viewer);
  const controls = role === 'customer_admin' ? expected.adminControls : [];
  for (const name of CUSTOMER_CONTROLS) {
    const control = main.getByRole('link', { name, exact: true }).or(main.getByRole('button', { name, exact: true }));
    await expect(control, `${role} ${state}: ${name}`).toHaveCount(controls.includes(name) ? 1 : 0);
  }
  // No staff control ever appears on a customer's page, and no customer may decommission.
  await expect(main.locator('[data-testid^="action-"]')).toHaveCount(0);
  expect((await main.textContent()) ?? '', `${role} ${state}`).not.toMatch(/decommission/i);
  if (role === 'customer_viewer') {
    // A read-only member is told who acts, never that they must; and nothing on the page is theirs to press.
    const words = (await standing.textContent()) ?? '';
    expect(words, state).not.toMatch(/waiting for you:|finish the setup and submit it|\byou (must|need to)\b/i);
    await expect(page.locator('main li').filter({ hasText: /·\s*You$/ })).toHaveCount(0);
    await expect(main.getByRole('textbox')).toHaveCount(0);
    const buttons = await main.getByRole('button').allInnerTexts();
    expect(
      buttons.filter((b) => !/^Copy/.test(b.trim())),
      state,
    ).toEqual([]);
  }
}

async function staffPage(page: Page, role: 'csm' | 'engineer' | 'admin', state: State, id: string) {
  await page.goto(`/cases/${id}`);
  const actions = page.locator('[data-testid^="action-"]:not([data-testid="action-result"])');
  await expect(actions.first().or(page.getByText('This case is closed: no transition leaves this state.'))).toBeVisible();
  const enabled: string[] = [];
  for (const b of await actions.all())
    if (await b.isEnabled()) enabled.push((await b.getAttribute('data-testid'))!.slice('action-'.length));
  expect(enabled.sort(), `${role} ${state}`).toEqual([...STAFF[state][role]].sort());
  // Each disabled action says who can do it instead.
  for (const b of await actions.all())
    if (!(await b.isEnabled())) expect(await b.getAttribute('aria-describedby'), `${role} ${state}`).toBeTruthy();
  const form = page.getByTestId('conversation-form');
  await expect(form).toHaveCount(WRITES[role].message ? 1 : 0);
  if (WRITES[role].note) await expect(form.getByRole('radio', { name: 'Internal note (staff only)' })).toHaveCount(1);
}

test('the case page names, for each role, only the actions that role has', async ({ browser }) => {
  test.setTimeout(240_000);
  const ids = await makeCases(browser);
  const roles: Role[] = ['customer_admin', 'customer_viewer', 'csm', 'engineer', 'admin'];
  for (const role of roles) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, EMAIL[role]);
    for (const state of Object.keys(ids) as State[]) {
      if (role === 'customer_admin' || role === 'customer_viewer') await customerPage(page, role, state, ids[state]);
      else await staffPage(page, role, state, ids[state]);
      if (state === 'draft' || state === 'awaiting_customer') await snap(page, `instructions-${role}-${state}`);
    }
    await ctx.close();
  }
});
