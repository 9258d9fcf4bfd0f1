import { describe, expect, it } from 'vitest';
import { caseChatMessage, caseMessage, type CaseFacts, escapeChat } from '@/lib/notifications/messages';
import { backoffDelay } from '@/lib/notifications/webhook';
import { NEEDS_ACTION, planCaseTransition, planUsageThreshold } from '@/lib/notifications/rules';
import { reachedThresholds } from '@/lib/usage/thresholds';
import { CASE_STATES, type CaseState } from '@/lib/domain/case-states';

// Who hears about a case entering each state, written out independently of lib/notifications/rules.ts.
// customer_admin / customer_viewer / csm / engineer: the notification kind each gets ('-' none); then the webhook.
const EXPECTED: Record<CaseState, [string, string, string, string, string | null]> = {
  draft: ['case.changed', 'case.changed', '-', '-', null],
  submitted: ['case.changed', 'case.changed', 'case.submitted', '-', 'case_submitted'],
  awaiting_customer: ['case.action_needed', 'case.changed', '-', '-', null],
  ready_to_provision: ['case.changed', 'case.changed', 'case.ready_to_provision', '-', null],
  pending_approval: ['case.changed', 'case.changed', '-', 'case.approval_needed', 'approval_needed'],
  provisioning: ['case.changed', 'case.changed', '-', '-', null],
  awaiting_customer_action: ['case.action_needed', 'case.changed', '-', '-', null],
  active: ['case.changed', 'case.changed', '-', '-', null],
  failed: ['case.changed', 'case.changed', 'case.failed', 'case.failed', 'case_failed'],
  rejected: ['case.changed', 'case.changed', '-', '-', null],
  cancelled: ['case.changed', 'case.changed', '-', '-', null],
  suspended: ['case.changed', 'case.changed', '-', '-', null],
  decommissioning: ['case.changed', 'case.changed', '-', '-', null],
  decommissioned: ['case.changed', 'case.changed', '-', '-', null],
};
const ROLES = ['customer_admin', 'customer_viewer', 'csm', 'engineer'] as const;

describe('who hears about a case transition', () => {
  it.each(CASE_STATES)('→ %s', (to) => {
    const plan = planCaseTransition(to);
    const got = ROLES.map((role) => plan.inApp.find((d) => d.roles.includes(role))?.kind ?? '-');
    expect([...got, plan.webhook]).toEqual(EXPECTED[to]);
    expect(plan.inApp.flatMap((d) => d.roles)).not.toContain('admin');
  });

  it.each([
    ['draft', ['case.action_needed', 'case.changed', '-', '-', null]],
    ['awaiting_customer', ['case.action_needed', 'case.changed', '-', '-', null]],
  ] as const)('asks the workspace admins to act when staff request changes (→ %s)', (to, expected) => {
    const plan = planCaseTransition(to, 'request_changes');
    expect([...ROLES.map((role) => plan.inApp.find((d) => d.roles.includes(role))?.kind ?? '-'), plan.webhook]).toEqual(expected);
  });

  it('marks what asks the reader to act', () => {
    expect([...NEEDS_ACTION].sort()).toEqual([
      'case.action_needed',
      'case.approval_needed',
      'case.failed',
      'case.ready_to_provision',
      'case.submitted',
    ]);
  });
});

describe('usage thresholds', () => {
  const L = 300 * 2 ** 30;
  it.each([
    [0, 300, []],
    [L * 0.79, 300, []],
    [L * 0.8, 300, [80]],
    [L * 0.99, 300, [80]],
    [L, 300, [80, 100]],
    [L * 2, 300, [80, 100]],
    [1, 0, [80, 100]],
    [0, 0, []],
  ])('%d bytes against %d GiB reach %j', (used, limitGib, expected) => {
    expect(reachedThresholds(used, limitGib)).toEqual(expected);
  });
  it('alerts engineers only at 100 %', () => {
    expect(planUsageThreshold(80).flatMap((d) => d.roles)).toEqual(['customer_admin', 'customer_viewer', 'csm']);
    expect(planUsageThreshold(100).flatMap((d) => d.roles)).toEqual(['customer_admin', 'customer_viewer', 'csm', 'engineer']);
  });
});

const facts: CaseFacts = {
  caseId: 'c1',
  reference: 'PL-1001',
  warehouseName: 'Snowflake',
  region: 'us-east-1',
  workspaceName: 'Acme <!channel> & Co',
  from: 'provisioning',
  to: 'failed',
  actorLabel: 'the provisioning service',
  note: null,
  lastError: 'Endpoint service not found',
};

describe('messages', () => {
  it('tells staff the error of a failed case, and customers only that engineers know', () => {
    expect(caseMessage('case.failed', 'engineer', facts).body).toContain(': Endpoint service not found');
    const customer = caseMessage('case.changed', 'customer_admin', facts);
    expect(customer).toEqual({
      title: 'PL-1001 is now “Failed”',
      body: 'Your Snowflake connection in us-east-1 moved from “Provisioning” to “Failed”. Our engineers have been alerted.',
    });
  });

  it('tells CSMs whether a case is newly ready or was sent back by the approver', () => {
    expect(caseMessage('case.ready_to_provision', 'csm', { ...facts, from: 'awaiting_customer', to: 'ready_to_provision' }).title).toBe(
      'PL-1001 is ready to provision',
    );
    const back = caseMessage('case.ready_to_provision', 'csm', {
      ...facts,
      from: 'pending_approval',
      to: 'ready_to_provision',
      actorLabel: 'frank@portal.example',
      note: 'Wrong AZs',
    });
    expect(back).toEqual({
      title: 'PL-1001 was sent back',
      body: 'frank@portal.example sent the provisioning request for the Snowflake connection in us-east-1 of Acme <!channel> & Co back. Fix what they ask, then request provisioning again. Note: Wrong AZs',
    });
  });

  it('includes the reason given with a rejection', () => {
    const m = caseMessage('case.changed', 'customer_viewer', {
      ...facts,
      from: 'submitted',
      to: 'rejected',
      note: 'Region not in the beta',
    });
    expect(m.body).toMatch(/ Note: Region not in the beta$/);
  });

  it('builds a Slack-compatible message with a link, escaping what could inject mentions or links', () => {
    const m = caseChatMessage('case_failed', facts, 'https://portal.example/cases/c1');
    expect(m.text).toBe(':rotating_light: Provisioning failed for PL-1001: Snowflake in us-east-1 for Acme &lt;!channel&gt; &amp; Co');
    expect(m.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringContaining('<https://portal.example/cases/c1|PL-1001>') },
    });
    expect(JSON.stringify(m)).not.toContain('<!channel>');
    expect(escapeChat('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});

describe('webhook backoff', () => {
  it('doubles from the base, jittered between half and all of it, capped at a minute', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(3, 1000, () => 0)).toBe(2000);
    expect(backoffDelay(20, 1000, () => 1)).toBe(60_000);
  });
});
