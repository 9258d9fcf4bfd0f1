import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { cases } from '@/db/schema';
import { applyEvent, CaseError } from '@/lib/cases/service';
import type { CaseState } from '@/lib/domain/case-states';
import { createTestDatabase } from './support/db';
import { caseIn, fillPhase, type Person, seedWorld, type World } from './support/world';

// Per-event authorization through the case service (what every server action and route handler ends in): for each
// event people can fire, in each state it leaves, every kind of person tries it on a fresh case. Expected, written out
// independently of the policy module and the transition table: who may fire it (by name in the test world).
type Who = 'ada' | 'victor' | 'casey' | 'erin' | 'alex' | 'grace';
const EXPECTED: [CaseState, string, Who[]][] = [
  ['draft', 'submit', ['ada']],
  ['submitted', 'accept', ['casey', 'erin']],
  ['awaiting_customer', 'provide_details', ['ada']],
  ['ready_to_provision', 'request_provisioning', ['casey', 'erin']],
  ['pending_approval', 'approve', ['erin']], // Casey requested it; a CSM may not approve anyway
  ['pending_approval', 'send_back', ['erin']],
  ['failed', 'retry', ['erin']],
  ['submitted', 'reject', ['casey', 'erin']],
  ['ready_to_provision', 'reject', ['casey', 'erin']],
  ['draft', 'cancel', ['ada', 'casey']],
  ['awaiting_customer', 'cancel', ['ada', 'casey']],
  ['provisioning', 'cancel', ['ada', 'casey']],
  ['awaiting_customer_action', 'cancel', ['ada', 'casey']],
  ['awaiting_customer_action', 'send_customer_action', ['ada']],
  ['active', 'suspend', ['erin']],
  ['suspended', 'resume', ['erin']],
  ['active', 'decommission', ['erin']],
  ['suspended', 'decommission', ['erin']],
  ['failed', 'decommission', ['erin']],
];
const EVERYONE: Who[] = ['ada', 'victor', 'casey', 'erin', 'alex', 'grace'];

describe('who may fire each case event', () => {
  let h: DatabaseHandle;
  let w: World;
  beforeAll(async () => {
    h = await createTestDatabase();
    w = await seedWorld(h.db, { endpointLimit: 100 });
  });
  afterAll(async () => {
    await h?.close();
  });
  // Each cell's case is done with once it has answered: close it so that the workspace's endpoint slots (at most 100)
  // last for all the cells. Straight in SQL: this is the test's housekeeping, not a transition under test.
  afterEach(async () => {
    await h.db.update(cases).set({ state: 'cancelled' }).where(eq(cases.workspaceId, w.acme));
  });

  /**
   * A fresh case of Ada's workspace in the given state, driven there by people and the reconciler: Databricks, whose
   * customer has something to send once the endpoint exists, else RDS Postgres.
   */
  async function caseInState(state: CaseState, warehouse: 'databricks' | 'rds_postgres') {
    const viaReconciler: Partial<Record<CaseState, [CaseState, string][]>> = {
      awaiting_customer_action: [['provisioning', 'await_customer_action']],
      active: [['provisioning', 'activate']],
      suspended: [
        ['provisioning', 'activate'],
        ['active', 'suspend'],
      ],
      failed: [['provisioning', 'fail']],
    };
    const steps = viaReconciler[state];
    let c = await caseIn(h.db, w, warehouse, steps ? 'provisioning' : state);
    for (const [, event] of steps ?? []) {
      const actor = event === 'suspend' ? w.erin : 'reconciler';
      c = await applyEvent(h.db, actor, { caseId: c.id, event: event as never, version: c.version, note: 'set up by the test' });
    }
    expect(c.state).toBe(state);
    // The customer's details are complete wherever they may be given, so that a refusal can only be about who acts.
    if (state === 'awaiting_customer') c = { ...c, version: await fillPhase(h.db, w.ada, c.id, c.version, warehouse, 'details') };
    if (state === 'awaiting_customer_action' && warehouse === 'databricks') {
      c = { ...c, version: await fillPhase(h.db, w.ada, c.id, c.version, warehouse, 'after_endpoint') };
    }
    return c;
  }

  const cells = EXPECTED.flatMap(([from, event, allowed]) => EVERYONE.map((who) => ({ from, event, who, allowed: allowed.includes(who) })));

  it.each(cells)('$event from $from by $who: allowed=$allowed', async ({ from, event, who, allowed }) => {
    const c = await caseInState(from, event === 'send_customer_action' ? 'databricks' : 'rds_postgres');
    const person = w[who] as Person;
    const attempt = applyEvent(h.db, person, { caseId: c.id, event: event as never, version: c.version, note: 'because of reasons' });
    if (allowed) {
      await expect(attempt).resolves.toMatchObject({ id: c.id });
    } else {
      const err = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CaseError);
      // Another workspace's customer does not even learn the case exists.
      expect((err as CaseError).reason).toBe(who === 'grace' ? 'not_found' : 'wrong_role');
    }
  });
});
