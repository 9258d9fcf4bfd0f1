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

/**
 * The case page's "Your AWS account (sandbox)" panel: the customer's own console, simulated. Every act on the
 * customer's side is done here, explicitly, as a person would (docs/design.md#the-customers-side-of-the-sandbox).
 */
/** Open a case page and wait until React has hydrated it (app/_components/hydration-mark.tsx), so typing sticks. */
export async function openCase(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

export function sandboxPanel(page: Page) {
  return page.getByTestId('sandbox-account');
}

/** Run one act in the panel and wait for its result to be announced. */
async function panelAct(page: Page, click: () => Promise<void>, result: string | RegExp) {
  const status = sandboxPanel(page).getByTestId('sandbox-result');
  await click();
  await expect(status).toContainText(result);
}

/** RDS: create an NLB endpoint service (acceptance required) on the case page; returns its generated name. */
export async function createServiceInPanel(page: Page, caseId: string): Promise<string> {
  await openCase(page, caseId);
  const panel = sandboxPanel(page);
  const before = await panel.getByTestId('sandbox-service-name').count();
  await panelAct(page, () => panel.getByRole('button', { name: 'Create endpoint service' }).click(), /^Endpoint service com\.amazonaws/);
  await expect(panel.getByTestId('sandbox-service-name')).toHaveCount(before + 1);
  const name = (await panel.getByTestId('sandbox-service-name').last().textContent())!.trim();
  expect(name).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
  return name;
}

/** RDS: allow the workspace role shown on the case (the panel prefills it) on the service. */
export async function allowRoleInPanel(page: Page, serviceName: string) {
  const service = sandboxPanel(page).getByRole('region', { name: `Endpoint service ${serviceName.replace(/^.*\./, '')}` });
  await expect(service.getByLabel('Principal ARN to allow')).toHaveValue(/^arn:aws:iam::\d{12}:role\/plp-ws-[0-9a-f-]{36}$/);
  const role = await service.getByLabel('Principal ARN to allow').inputValue();
  await panelAct(page, () => service.getByRole('button', { name: 'Allow principal' }).click(), 'is now an allowed principal');
  await expect(service.getByRole('button', { name: `Remove ${role}` })).toBeVisible();
}

/** RDS: accept the connection waiting on the service (it appears once the edge created it). */
export async function acceptConnectionInPanel(page: Page, serviceName: string) {
  const service = sandboxPanel(page).getByRole('region', { name: `Endpoint service ${serviceName.replace(/^.*\./, '')}` });
  const accept = service.getByRole('button', { name: /^Accept vpce-/ });
  await expect(async () => {
    await page.reload();
    await expect(accept).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000] });
  await panelAct(page, () => accept.click(), /accepted\.$/);
  await expect(accept).toHaveCount(0);
}

/** Redshift: create the cluster (RA3, relocation on) and authorize the edge account; returns the account ID to give. */
export async function clusterInPanel(page: Page, caseId: string, clusterIdentifier: string): Promise<string> {
  await openCase(page, caseId);
  const panel = sandboxPanel(page);
  await panel.getByLabel('Cluster identifier').fill(clusterIdentifier);
  await panelAct(page, () => panel.getByRole('button', { name: 'Create cluster' }).click(), `Cluster ${clusterIdentifier} (`);
  const cluster = panel.getByRole('region', { name: `Cluster ${clusterIdentifier}` });
  await panelAct(page, () => cluster.getByRole('button', { name: 'Authorize the edge account' }).click(), 'may now create endpoints');
  await expect(cluster.getByText(/^Edge account authorized/)).toBeVisible();
  return (await panel.getByTestId('sandbox-account-id').textContent())!.trim();
}

/** Snowflake: support authorizes the edge account for the account's privatelink-vpce-id. */
export async function snowflakeSupportInPanel(page: Page, caseId: string, privatelinkVpceId: string) {
  await openCase(page, caseId);
  const panel = sandboxPanel(page);
  await panel.getByLabel(/^privatelink-vpce-id/).fill(privatelinkVpceId);
  await panelAct(
    page,
    () => panel.getByRole('button', { name: 'Snowflake support authorizes our AWS account' }).click(),
    'Snowflake support authorized',
  );
}

/** Databricks: register the case's endpoint in the customer's Databricks account. */
export async function registerInPanel(page: Page, caseId: string) {
  await openCase(page, caseId);
  const register = sandboxPanel(page).getByRole('button', { name: 'Register the endpoint in my Databricks account' });
  await panelAct(page, () => register.click(), 'registered in your Databricks account');
  // Refreshed: Databricks accepted it, so there is nothing left to register.
  await expect(register).toBeDisabled();
}
