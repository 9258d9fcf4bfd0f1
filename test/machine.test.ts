import { describe, expect, it } from 'vitest';
import { CASE_EVENTS, type CaseEventName, evaluate, rolesFor, TRANSITIONS, transitionsForFlow } from '@/lib/cases/machine';
import { CASE_STATES, type CaseState, TERMINAL_STATES, SLOT_HOLDING_STATES } from '@/lib/domain/case-states';
import { type Role, ROLES } from '@/lib/domain/roles';
import { WAREHOUSES } from '@/lib/domain/warehouses';

// The transition table of docs/design.md#the-case-state-machine written out independently: from --event--> to, who.
const EXPECTED: [CaseState, string, CaseState, string][] = [
  ['draft', 'submit', 'submitted', 'customer_admin'],
  ['submitted', 'accept', 'awaiting_customer', 'csm engineer'],
  ['submitted', 'request_changes', 'draft', 'csm engineer'],
  ['ready_to_provision', 'request_changes', 'awaiting_customer', 'csm engineer'],
  ['awaiting_customer', 'provide_details', 'ready_to_provision', 'customer_admin'],
  ['awaiting_customer', 'skip_details', 'ready_to_provision', 'reconciler'],
  ['ready_to_provision', 'request_provisioning', 'pending_approval', 'csm engineer'],
  ['ready_to_provision', 'auto_request_provisioning', 'pending_approval', 'reconciler'],
  ['pending_approval', 'approve', 'provisioning', 'engineer'],
  ['pending_approval', 'send_back', 'ready_to_provision', 'engineer'],
  ['provisioning', 'await_customer_action', 'awaiting_customer_action', 'reconciler'],
  ['provisioning', 'activate', 'active', 'reconciler'],
  ['awaiting_customer_action', 'activate', 'active', 'reconciler'],
  ['awaiting_customer_action', 'send_customer_action', 'provisioning', 'customer_admin'],
  ['provisioning', 'fail', 'failed', 'reconciler'],
  ['awaiting_customer_action', 'fail', 'failed', 'reconciler'],
  ['failed', 'retry', 'provisioning', 'engineer'],
  ['submitted', 'reject', 'rejected', 'csm engineer'],
  ['ready_to_provision', 'reject', 'rejected', 'csm engineer'],
  ['draft', 'cancel', 'cancelled', 'customer_admin csm'],
  ['submitted', 'cancel', 'cancelled', 'customer_admin csm'],
  ['awaiting_customer', 'cancel', 'cancelled', 'customer_admin csm'],
  ['ready_to_provision', 'cancel', 'cancelled', 'customer_admin csm'],
  ['pending_approval', 'cancel', 'cancelled', 'customer_admin csm'],
  ['provisioning', 'cancel', 'decommissioning', 'customer_admin csm'],
  ['awaiting_customer_action', 'cancel', 'decommissioning', 'customer_admin csm'],
  ['active', 'suspend', 'suspended', 'engineer'],
  ['suspended', 'resume', 'active', 'engineer'],
  ['active', 'decommission', 'decommissioning', 'engineer'],
  ['suspended', 'decommission', 'decommissioning', 'engineer'],
  ['failed', 'decommission', 'decommissioning', 'engineer'],
  ['decommissioning', 'decommissioned', 'decommissioned', 'reconciler'],
];

const who = (t: (typeof TRANSITIONS)[number]) => (t.actor.kind === 'reconciler' ? 'reconciler' : rolesFor(t).join(' '));

describe('transition table', () => {
  it('holds exactly the transitions of the design', () => {
    const actual = TRANSITIONS.map((t) => [t.from, t.event, t.to, who(t)]);
    expect(actual.map((r) => r.join(' ')).sort()).toEqual(EXPECTED.map((r) => r.join(' ')).sort());
  });

  it('names exactly the events the table uses', () => {
    expect([...CASE_EVENTS].sort()).toEqual([...new Set(EXPECTED.map(([, event]) => event))].sort());
  });

  it('has at most one transition per (state, event)', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves terminal states with no way out', () => {
    for (const s of TERMINAL_STATES) expect(TRANSITIONS.filter((t) => t.from === s)).toEqual([]);
  });

  it('reaches every state from draft', () => {
    const seen = new Set<CaseState>(['draft']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of TRANSITIONS)
        if (seen.has(t.from) && !seen.has(t.to)) {
          seen.add(t.to);
          changed = true;
        }
    }
    expect([...seen].sort()).toEqual([...CASE_STATES].sort());
  });

  it('frees the slot only in draft, rejected, cancelled and decommissioned', () => {
    expect([...CASE_STATES].filter((s) => !SLOT_HOLDING_STATES.includes(s)).sort()).toEqual([
      'cancelled',
      'decommissioned',
      'draft',
      'rejected',
    ]);
  });
});

// Every (state, event, role) combination: allowed exactly when the expected table above lists it for that role.
const EVENTS = [...new Set(EXPECTED.map(([, event]) => event))] as CaseEventName[];
const ACTORS: (Role | 'reconciler')[] = [...ROLES, 'reconciler'];
const combos = CASE_STATES.flatMap((state) => EVENTS.flatMap((event) => ACTORS.map((role) => ({ state, event, role }))));

describe('evaluate over every state × event × actor', () => {
  it.each(combos)('$state --$event--> as $role', ({ state, event, role }) => {
    const row = EXPECTED.find(([from, e]) => from === state && e === event);
    const note = 'because of reasons';
    // Only Databricks has something for the customer to send once the endpoint exists, and nothing to give before.
    const warehouse = event === 'send_customer_action' || event === 'skip_details' ? 'databricks' : 'rds_postgres';
    const v = evaluate(state, event, { role }, { warehouse, actorId: 'me', requestedBy: 'someone-else', note });
    if (!row) return expect(v).toMatchObject({ ok: false, reason: 'wrong_state' });
    const allowed = row[3].split(' ').includes(role);
    if (allowed) expect(v).toMatchObject({ ok: true, transition: { to: row[2] } });
    else expect(v).toMatchObject({ ok: false, reason: 'wrong_role' });
  });
});

describe('guards', () => {
  const base = { warehouse: 'redshift' as const, actorId: 'erin', requestedBy: 'frank', note: null };

  it('refuses approval by the engineer who requested it (two-person rule)', () => {
    expect(evaluate('pending_approval', 'approve', { role: 'engineer' }, { ...base, requestedBy: 'erin' })).toEqual({
      ok: false,
      reason: 'guard_failed',
      message: 'You requested this provisioning: another engineer must approve it (two-person rule).',
    });
    expect(evaluate('pending_approval', 'approve', { role: 'engineer' }, base)).toMatchObject({ ok: true });
  });

  it.each([
    ['submitted', 'reject', 'csm'],
    ['active', 'suspend', 'engineer'],
    ['active', 'decommission', 'engineer'],
    ['pending_approval', 'send_back', 'engineer'],
    ['submitted', 'request_changes', 'csm'],
    ['ready_to_provision', 'request_changes', 'engineer'],
  ] as const)('requires a reason to %s → %s', (state, event, role) => {
    expect(evaluate(state, event, { role }, base)).toMatchObject({ ok: false, reason: 'guard_failed' });
    expect(evaluate(state, event, { role }, { ...base, note: '  ' })).toMatchObject({ ok: false, reason: 'guard_failed' });
    expect(evaluate(state, event, { role }, { ...base, note: 'Customer asked' })).toMatchObject({ ok: true });
  });

  it('sends details back only in a flow that asks for details after acceptance', () => {
    const note = 'Use the cluster in the other account';
    expect(evaluate('ready_to_provision', 'request_changes', { role: 'csm' }, { ...base, note })).toMatchObject({
      ok: true,
      transition: { to: 'awaiting_customer' },
    });
    expect(evaluate('ready_to_provision', 'request_changes', { role: 'csm' }, { ...base, warehouse: 'databricks', note })).toMatchObject({
      ok: false,
      reason: 'guard_failed',
      message: expect.stringMatching(/^The Databricks flow asks the customer for no details/),
    });
    expect(evaluate('submitted', 'request_changes', { role: 'csm' }, { ...base, warehouse: 'databricks', note })).toMatchObject({
      ok: true,
      transition: { to: 'draft' },
    });
  });

  it('lets only a flow without details skip them', () => {
    expect(evaluate('awaiting_customer', 'skip_details', { role: 'reconciler' }, { ...base, warehouse: 'databricks' })).toMatchObject({
      ok: true,
    });
    expect(evaluate('awaiting_customer', 'skip_details', { role: 'reconciler' }, base)).toMatchObject({
      ok: false,
      reason: 'guard_failed',
      message: "The Redshift flow needs the customer's details before provisioning.",
    });
  });

  it('says why a reason is needed', () => {
    expect(evaluate('submitted', 'reject', { role: 'csm' }, base)).toMatchObject({
      message: 'Give a reason to reject the case: it is recorded on the case and shown to the customer.',
    });
  });

  it.each([
    ['databricks', true],
    ['rds_postgres', false],
  ] as const)('lets a %s customer send their part after the endpoint exists: %s', (warehouse, ok) => {
    const v = evaluate('awaiting_customer_action', 'send_customer_action', { role: 'customer_admin' }, { ...base, warehouse });
    expect(v).toMatchObject(
      ok
        ? { ok: true }
        : { ok: false, reason: 'guard_failed', message: 'The RDS Postgres flow has nothing for the customer to send after provisioning.' },
    );
  });

  it.each(WAREHOUSES)('lets %s wait on a customer action only when its flow has one', (warehouse) => {
    const v = evaluate('provisioning', 'await_customer_action', { role: 'reconciler' }, { ...base, warehouse });
    const uses = transitionsForFlow(warehouse).some((t) => t.to === 'awaiting_customer_action');
    expect(v.ok).toBe(uses);
    expect(uses).toBe(warehouse === 'databricks' || warehouse === 'rds_postgres');
  });
});
