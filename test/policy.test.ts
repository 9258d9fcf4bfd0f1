import { describe, expect, it } from 'vitest';
import { ACTIONS, landingPath, roleAllows } from '@/lib/auth/policy';
import { canReachWorkspace, ROLES, reachableWorkspace } from '@/lib/domain/roles';

// The expected policy, written out independently of lib/auth/policy.ts: one column per role in the order
// customer_admin, customer_viewer, csm, engineer, admin; "Y" allowed, "." refused.
const EXPECTED: Record<string, string> = {
  'case.view': 'YYYYY',
  'case.create': 'Y....',
  'case.edit_draft': 'Y....',
  'case.submit': 'Y....',
  'case.provide_details': 'Y....',
  'case.cancel': 'Y.Y..',
  'case.accept': '..YY.',
  'case.reject': '..YY.',
  'case.request_provisioning': '..YY.',
  'case.approve': '...Y.',
  'case.retry': '...Y.',
  'case.suspend': '...Y.',
  'case.resume': '...Y.',
  'case.decommission': '...Y.',
  'case.request_changes': '..YY.',
  'case.note': '..YY.',
  'case.message': 'Y.YY.',
  'case.act': 'Y.YY.',
  'case.preflight': 'Y.YY.',
  'workspace.auto_request': '..Y..',
  'sandbox.customer_act': 'Y....',
  'sandbox.set_traffic': '...Y.',
  'queue.view': '..YYY',
  'endpoint.view': '..YYY',
  'endpoint.export': '...Y.',
  'endpoint.test_connection': '...Y.',
  'audit.view': '...YY',
  'audit.export': '...YY',
  'usage.view': 'YYYYY',
  'notification.view': 'YYYYY',
  'notification.mark_read': 'YYYYY',
  'session.end_all': 'YYYYY',
  'account.email_preferences': 'YYYYY',
  'token.manage': 'Y.YYY',
  'outbox.view': '..YYY',
  'outbox.resend': '..YYY',
  'admin.view': '....Y',
  'admin.manage_workspaces': '....Y',
  'admin.manage_users': '....Y',
  'admin.override_limits': '....Y',
};

const cells = ACTIONS.flatMap((action) => ROLES.map((role, i) => ({ action, role, allowed: EXPECTED[action]?.[i] === 'Y' })));

describe('policy table', () => {
  it('lists exactly the actions of the expected table', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cells)('$role → $action: allowed=$allowed', ({ action, role, allowed }) => {
    expect(roleAllows(role, action)).toBe(allowed);
  });

  it('never lets a read-only customer change anything', () => {
    // Marking one's own notifications read, ending one's own sessions and choosing one's own e-mail change nothing of
    // the workspace's.
    const mutations = ACTIONS.filter((a) => !/\.(view|mark_read|end_all|email_preferences)$/.test(a));
    for (const a of mutations) expect(roleAllows('customer_viewer', a), a).toBe(false);
  });

  it('keeps approval with engineers only (two-person rule: the requester check is in the state machine)', () => {
    expect(ROLES.filter((r) => roleAllows(r, 'case.approve'))).toEqual(['engineer']);
  });
});

describe('workspace ownership', () => {
  const acme = '11111111-1111-1111-1111-111111111111';
  const globex = '22222222-2222-2222-2222-222222222222';
  const customer = { id: 'u1', role: 'customer_admin' as const, workspaceId: acme };
  const csm = { id: 'u2', role: 'csm' as const, workspaceId: null };

  it.each([
    { who: 'customer, own workspace', user: customer, ws: acme, ok: true },
    { who: 'customer, other workspace', user: customer, ws: globex, ok: false },
    { who: 'customer, resource without workspace', user: customer, ws: null, ok: false },
    { who: 'staff, any workspace', user: csm, ws: globex, ok: true },
    { who: 'staff, staff-only resource', user: csm, ws: null, ok: true },
  ])('$who → $ok', ({ user, ws, ok }) => {
    expect(canReachWorkspace(user, ws)).toBe(ok);
  });

  it('gives a customer without a workspace nothing', () => {
    expect(canReachWorkspace({ role: 'customer_admin', workspaceId: null }, null)).toBe(false);
    expect(reachableWorkspace({ role: 'customer_viewer', workspaceId: null })).toBeNull();
    expect(reachableWorkspace({ role: 'admin', workspaceId: null })).toBe('all');
  });

  it.each([
    ['customer_admin', '/cases'],
    ['customer_viewer', '/cases'],
    ['csm', '/queue'],
    ['engineer', '/endpoints'],
    ['admin', '/admin'],
  ] as const)('lands %s on %s', (role, path) => {
    expect(landingPath(role)).toBe(path);
  });
});
