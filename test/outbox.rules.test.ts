import { describe, expect, it } from 'vitest';
import { caseEmail, composeEmail, type EmailFacts, escapeHtml } from '@/lib/notifications/messages';
import { EMAIL_KINDS, EMAIL_KINDS_FOR, planCaseEmail, planCaseMessage, planUsageEmail } from '@/lib/notifications/rules';

// Who gets which e-mail, written out independently of lib/notifications/rules.ts: "role:kind" per (event, new state).
const EXPECTED: [event: string, to: string, emails: string[]][] = [
  ['submit', 'submitted', ['csm:case.submitted']],
  ['accept', 'awaiting_customer', ['customer_admin:case.action_needed']],
  ['request_changes', 'draft', ['customer_admin:case.action_needed']],
  ['request_changes', 'awaiting_customer', ['customer_admin:case.action_needed']],
  ['provide_details', 'ready_to_provision', ['csm:case.customer_replied']],
  ['request_provisioning', 'pending_approval', ['engineer:case.approval_needed']],
  ['auto_request_provisioning', 'pending_approval', ['engineer:case.approval_needed']],
  ['send_back', 'ready_to_provision', []],
  ['approve', 'provisioning', []],
  ['await_customer_action', 'awaiting_customer_action', ['customer_admin:case.action_needed']],
  ['send_customer_action', 'provisioning', ['csm:case.customer_replied']],
  ['activate', 'active', ['customer_admin:case.active']],
  ['resume', 'active', []],
  ['fail', 'failed', ['customer_admin:case.failed', 'engineer:case.failed']],
  ['retry', 'provisioning', []],
  ['reject', 'rejected', []],
  ['cancel', 'cancelled', []],
  ['suspend', 'suspended', []],
  ['decommission', 'decommissioning', []],
  ['decommissioned', 'decommissioned', []],
];

// Who hears of a message on a case, in the portal and by e-mail, written out independently: "role:kind".
const MESSAGES: [audience: 'customer' | 'internal', author: 'customer_admin' | 'csm' | 'engineer', inApp: string[], email: string[]][] = [
  ['customer', 'customer_admin', ['csm:case.message'], ['csm:case.customer_replied']],
  ['customer', 'csm', ['customer_admin:case.message', 'customer_viewer:case.message'], ['customer_admin:case.staff_message']],
  ['customer', 'engineer', ['customer_admin:case.message', 'customer_viewer:case.message'], ['customer_admin:case.staff_message']],
  ['internal', 'csm', [], []],
  ['internal', 'engineer', [], []],
];

describe('who hears of a message on a case', () => {
  it.each(MESSAGES)('%s message by %s', (audience, author, inApp, email) => {
    const plan = planCaseMessage(audience, author);
    expect(plan.inApp.flatMap((d) => d.roles.map((r) => `${r}:${d.kind}`)).sort()).toEqual([...inApp].sort());
    expect(plan.email.flatMap((d) => d.roles.map((r) => `${r}:${d.kind}`)).sort()).toEqual([...email].sort());
  });
});

describe('who gets which e-mail', () => {
  it.each(EXPECTED)('%s → %s', (event, to, emails) => {
    const got = planCaseEmail(to as never, event).flatMap((d) => d.roles.map((r) => `${r}:${d.kind}`));
    expect(got.sort()).toEqual([...emails].sort());
  });

  it('tells the workspace and CSMs of 80 %, and engineers too of 100 %', () => {
    expect(planUsageEmail(80).flatMap((d) => d.roles)).toEqual(['customer_admin', 'customer_viewer', 'csm']);
    expect(planUsageEmail(100).flatMap((d) => d.roles)).toEqual(['customer_admin', 'customer_viewer', 'csm', 'engineer']);
  });

  it('offers each role on /account exactly the kinds it can receive', () => {
    const receivable = new Map<string, Set<string>>();
    for (const [event, to] of EXPECTED)
      for (const d of planCaseEmail(to as never, event))
        for (const r of d.roles) receivable.set(r, (receivable.get(r) ?? new Set()).add(d.kind));
    for (const t of [80, 100] as const)
      for (const d of planUsageEmail(t)) for (const r of d.roles) receivable.set(r, (receivable.get(r) ?? new Set()).add(d.kind));
    receivable.get('customer_admin')!.add('case.reminder');
    // Messages on a case (planCaseMessage): the workspace's reach CSMs, staff's reach the workspace's admins.
    for (const [audience, author] of [
      ['customer', 'customer_admin'],
      ['customer', 'csm'],
      ['customer', 'engineer'],
      ['internal', 'csm'],
    ] as const)
      for (const d of planCaseMessage(audience, author).email)
        for (const r of d.roles) receivable.set(r, (receivable.get(r) ?? new Set()).add(d.kind));
    for (const [role, kinds] of Object.entries(EMAIL_KINDS_FOR))
      expect([...kinds].sort(), role).toEqual([...(receivable.get(role) ?? [])].sort());
    expect(new Set(Object.values(EMAIL_KINDS_FOR).flat())).toEqual(new Set(EMAIL_KINDS));
  });
});

const facts: EmailFacts = {
  caseId: 'c1',
  reference: 'PL-1001',
  warehouse: 'rds_postgres',
  warehouseName: 'RDS Postgres',
  region: 'us-east-1',
  workspaceName: 'Acme',
  from: 'submitted',
  to: 'awaiting_customer',
  actorLabel: 'casey@portal.example',
  note: null,
  lastError: null,
};

describe('e-mail words', () => {
  it('asks for what the step needs: the principal, the connection, the endpoint, or changes', () => {
    const url = 'https://portal.example/cases/c1';
    expect(caseEmail('case.action_needed', 'customer_admin', facts, url).text).toMatch(/allowed principal/);
    expect(
      caseEmail('case.action_needed', 'customer_admin', { ...facts, from: 'provisioning', to: 'awaiting_customer_action' }, url).text,
    ).toMatch(/Accept the pending endpoint connection/);
    expect(
      caseEmail(
        'case.action_needed',
        'customer_admin',
        { ...facts, warehouse: 'databricks', from: 'provisioning', to: 'awaiting_customer_action' },
        url,
      ).text,
    ).toMatch(/Register it in your Databricks account/);
    expect(
      caseEmail('case.action_needed', 'customer_admin', { ...facts, from: 'ready_to_provision', note: 'Wrong port' }, url).text,
    ).toMatch(/Changes are needed[\s\S]*Note: Wrong port/);
    const m = caseEmail('case.action_needed', 'customer_admin', facts, url);
    expect(m.text).toContain(`Open PL-1001: ${url}`);
    expect(m.text).toContain('https://portal.example/account');
  });

  it('escapes every value in the HTML part', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const m = composeEmail('s', ['<b>hi</b>'], { url: 'https://p.example/cases/1?a=1&b="2"', label: '<Open>' }, [
      { label: 'Host', value: '<x>' },
    ]);
    expect(m.html).toContain('<p>&lt;b&gt;hi&lt;/b&gt;</p>');
    expect(m.html).toContain('href="https://p.example/cases/1?a=1&amp;b=&quot;2&quot;"');
    expect(m.html).toContain('<code>&lt;x&gt;</code>');
    expect(m.html).not.toMatch(/<b>|<x>|<Open>/);
  });
});
