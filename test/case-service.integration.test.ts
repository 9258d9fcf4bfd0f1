import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, caseEvents, cases, endpoints, notifications, usageDaily, workspaces } from '@/db/schema';
import { applyEvent, CaseError, createDraft, getCase, saveInputs } from '@/lib/cases/service';
import { describeUsage, setWorkspaceLimits } from '@/lib/limits';
import { GIB } from '@/lib/domain/units';
import { getWorkspaceUsage } from '@/db/queries/workspaces';
import { getFlow } from '@/lib/providers';
import { createTestDatabase } from './support/db';
import { caseIn, fillPhase, seedWorld, type World } from './support/world';
import { WAREHOUSES } from '@/lib/domain/warehouses';

let h: DatabaseHandle;
let w: World;

beforeEach(async () => {
  await h?.close();
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
});
afterAll(async () => {
  await h?.close();
});

async function refusal(p: Promise<unknown>): Promise<CaseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CaseError) return e;
    throw e;
  }
  throw new Error('expected a CaseError');
}

const count = async (table: typeof caseEvents | typeof auditLog) =>
  (await h.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe('drafts', () => {
  it('creates a draft with a case event and an audit row', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'redshift', region: 'eu-west-1' });
    expect(c).toMatchObject({ state: 'draft', version: 1, region: 'eu-west-1', workspaceId: w.acme, warehouse: 'redshift' });
    expect(await h.db.select({ event: caseEvents.event, to: caseEvents.toState }).from(caseEvents)).toEqual([
      { event: 'create', to: 'draft' },
    ]);
    const audits = await h.db.select({ action: auditLog.action, actor: auditLog.actorEmail }).from(auditLog);
    expect(audits).toEqual([{ action: 'case.create', actor: 'ada@acme.example' }]);
  });

  it('refuses an ineligible region, naming the eligible ones', async () => {
    const e = await refusal(createDraft(h.db, w.ada, { warehouse: 'redshift', region: 'ap-south-1' }));
    expect(e.reason).toBe('invalid_input');
    expect(e.fieldErrors.region).toEqual([
      'Region ap-south-1 is not eligible for PrivateLink: choose one of us-east-1, us-west-2, eu-west-1.',
    ]);
  });

  it('refuses drafts from read-only members and staff', async () => {
    expect((await refusal(createDraft(h.db, w.victor, { warehouse: 'redshift' }))).reason).toBe('wrong_role');
    expect((await refusal(createDraft(h.db, w.casey, { warehouse: 'redshift' }))).reason).toBe('wrong_role');
  });

  it('autosaves an invalid draft value and reports it on the field', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'redshift' });
    const stepId = getFlow('redshift').customerSteps[0]!.id;
    const r = await saveInputs(h.db, w.ada, {
      caseId: c.id,
      version: 1,
      stepId,
      values: { nodeType: 'dc2.large', relocationEnabled: true, port: '5456' },
    });
    expect(r.case.version).toBe(2);
    expect(r.issues.map((i) => i.field).sort()).toEqual(['nodeType', 'port']);
    expect(r.case.inputs).toMatchObject({ nodeType: 'dc2.large' });
  });

  it('takes the same answers sent twice against the old version as saved, and refuses a different one', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'redshift' });
    const first = await saveInputs(h.db, w.ada, { caseId: c.id, version: c.version, stepId: 'cluster', values: { port: '8201' } });
    const audits = await count(auditLog);
    // The page was left (keepalive save) and the reloaded page, rendered before it landed, sends the same again.
    const again = await saveInputs(h.db, w.ada, { caseId: c.id, version: c.version, stepId: 'cluster', values: { port: '8201' } });
    expect(again.case.version).toBe(first.case.version);
    expect(await count(auditLog)).toBe(audits);
    const e = await refusal(saveInputs(h.db, w.ada, { caseId: c.id, version: c.version, stepId: 'cluster', values: { port: '8202' } }));
    expect(e.reason).toBe('stale_version');
    expect((await getCase(h.db, w.ada, c.id)).inputs.port).toBe(8201);
  });

  it('refuses a stale version without writing', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'snowflake' });
    await fillPhase(h.db, w.ada, c.id, c.version, 'snowflake', 'draft');
    const before = await count(auditLog);
    const e = await refusal(applyEvent(h.db, w.ada, { caseId: c.id, event: 'submit', version: 1 }));
    expect(e.reason).toBe('stale_version');
    // In the customer's words: no version numbers or state identifiers.
    expect(e.message).toBe(
      'This case changed since you opened it: its answers were saved from another tab or by someone else. Reload to see the latest and try again.',
    );
    expect(await count(auditLog)).toBe(before);
  });
});

describe('submit', () => {
  it('refuses incomplete inputs with every field that needs attention, writing nothing', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'rds_postgres' });
    const [events, audits] = [await count(caseEvents), await count(auditLog)];
    const e = await refusal(applyEvent(h.db, w.ada, { caseId: c.id, event: 'submit', version: c.version }));
    expect(e.reason).toBe('guard_failed');
    expect(Object.keys(e.fieldErrors)).toEqual(expect.arrayContaining(['endpointServiceName', 'databasePort', 'inboundEnforcement']));
    expect([await count(caseEvents), await count(auditLog)]).toEqual([events, audits]);
    expect((await getCase(h.db, w.ada, c.id)).state).toBe('draft');
  });

  it.each(WAREHOUSES)('takes a %s case from draft to provisioning with events and audit rows', async (warehouse) => {
    const c = await caseIn(h.db, w, warehouse, 'provisioning');
    expect(c.state).toBe('provisioning');
    expect(c.requestedBy).toBe(w.casey.id);
    expect(c.approvedBy).toBe(w.erin.id);
    const trail = await h.db.select({ event: caseEvents.event }).from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(caseEvents.id);
    expect(trail.map((t) => t.event)).toEqual(['create', 'submit', 'accept', 'provide_details', 'request_provisioning', 'approve']);
    const audited = await h.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, c.id));
    for (const ev of ['case.submit', 'case.accept', 'case.provide_details', 'case.request_provisioning', 'case.approve']) {
      expect(audited.map((a) => a.action)).toContain(ev);
    }
  });
});

describe('authorization and isolation', () => {
  it("hides another workspace's case as not found", async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    expect((await refusal(getCase(h.db, w.grace, c.id))).reason).toBe('not_found');
    expect((await refusal(applyEvent(h.db, w.grace, { caseId: c.id, event: 'cancel', version: c.version }))).reason).toBe('not_found');
    expect((await getCase(h.db, w.casey, c.id)).id).toBe(c.id);
  });

  it('refuses a read-only member any change', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    expect((await refusal(applyEvent(h.db, w.victor, { caseId: c.id, event: 'cancel', version: c.version }))).reason).toBe('wrong_role');
  });

  it('refuses approval by the engineer who requested provisioning', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'ready_to_provision');
    const requested = await applyEvent(h.db, w.erin, { caseId: c.id, event: 'request_provisioning', version: c.version });
    const e = await refusal(applyEvent(h.db, w.erin, { caseId: c.id, event: 'approve', version: requested.version }));
    expect(e).toMatchObject({
      reason: 'guard_failed',
      message: 'You requested this provisioning: another engineer must approve it (two-person rule).',
    });
    const ok = await applyEvent(h.db, w.frank, { caseId: c.id, event: 'approve', version: requested.version });
    expect(ok).toMatchObject({ state: 'provisioning', requestedBy: w.erin.id, approvedBy: w.frank.id });
  });

  it('refuses an event the state does not allow', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const e = await refusal(applyEvent(h.db, w.erin, { caseId: c.id, event: 'approve', version: c.version }));
    expect(e).toMatchObject({ reason: 'wrong_state', message: 'A case in state "submitted" cannot approve.' });
  });
});

describe('beta limits', () => {
  it('refuses a third endpoint and frees the slot when a case is cancelled', async () => {
    await caseIn(h.db, w, 'redshift', 'submitted');
    const second = await caseIn(h.db, w, 'snowflake', 'submitted');
    const third = await caseIn(h.db, w, 'databricks', 'draft');
    const e = await refusal(applyEvent(h.db, w.ada, { caseId: third.id, event: 'submit', version: third.version }));
    expect(e).toMatchObject({
      reason: 'limit',
      message:
        "This workspace already uses 2 of its 2 PrivateLink endpoints (private beta limit). To free one, a workspace admin can cancel a case that is not active yet; an active connection is removed only by the platform's engineers. Only a platform administrator can raise the limit: ask your CSM to request it.",
    });
    await applyEvent(h.db, w.ada, { caseId: second.id, event: 'cancel', version: second.version });
    await expect(applyEvent(h.db, w.ada, { caseId: third.id, event: 'submit', version: third.version })).resolves.toMatchObject({
      state: 'submitted',
    });
  });

  it("does not count another workspace's cases", async () => {
    await caseIn(h.db, w, 'redshift', 'submitted');
    await caseIn(h.db, w, 'redshift', 'submitted');
    await expect(caseIn(h.db, w, 'redshift', 'submitted', w.grace)).resolves.toMatchObject({ state: 'submitted' });
  });

  it('refuses submit and approval once this month reaches 300 GB', async () => {
    const pending = await caseIn(h.db, w, 'redshift', 'pending_approval');
    const draft = await caseIn(h.db, w, 'snowflake', 'draft');
    const [ep] = await h.db
      .insert(endpoints)
      .values({ caseId: pending.id, workspaceId: w.acme, region: 'us-east-1', kind: 'redshift_managed' })
      .returning({ id: endpoints.id });
    const today = new Date().toISOString().slice(0, 10);
    await h.db.insert(usageDaily).values({ endpointId: ep!.id, workspaceId: w.acme, day: today, bytes: 300 * GIB });
    const submit = await refusal(applyEvent(h.db, w.ada, { caseId: draft.id, event: 'submit', version: draft.version }));
    expect(submit.reason).toBe('limit');
    expect(submit.message).toMatch(/^This workspace has moved 300\.0 GB over PrivateLink this month, at or above its 300 GB monthly limit/);
    expect((await refusal(applyEvent(h.db, w.erin, { caseId: pending.id, event: 'approve', version: pending.version }))).reason).toBe(
      'limit',
    );
    const usage = await getWorkspaceUsage(h.db, w.acme);
    expect(describeUsage(usage!)).toMatchObject({
      endpoints: '1 of 2 endpoints',
      transfer: '300.0 of 300 GB this month',
      transferFull: true,
    });
  });

  it('counts only this UTC month', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'submitted');
    const [ep] = await h.db
      .insert(endpoints)
      .values({ caseId: c.id, workspaceId: w.acme, region: 'us-east-1', kind: 'redshift_managed' })
      .returning({ id: endpoints.id });
    await h.db.insert(usageDaily).values([
      { endpointId: ep!.id, workspaceId: w.acme, day: '2026-10-31', bytes: 500 * GIB },
      { endpointId: ep!.id, workspaceId: w.acme, day: '2026-11-01', bytes: Math.round(12.34 * GIB) },
    ]);
    const usage = await getWorkspaceUsage(h.db, w.acme, { now: new Date('2026-11-21T12:00:00Z') });
    expect(describeUsage(usage!)).toMatchObject({
      endpoints: '1 of 2 endpoints',
      transfer: '12.3 of 300 GB this month',
      transferFull: false,
    });
  });

  it('lets an admin raise the limit, audited with the reason', async () => {
    await setWorkspaceLimits(h.db, w.alex, {
      workspaceId: w.acme,
      endpointLimit: 3,
      monthlyTransferLimitGib: 500,
      reason: 'Design partner, agreed with sales',
    });
    const [ws] = await h.db.select().from(workspaces).where(eq(workspaces.id, w.acme));
    expect(ws).toMatchObject({ endpointLimit: 3, monthlyTransferLimitGib: 500, limitOverrideReason: 'Design partner, agreed with sales' });
    const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'workspace.limits_override'));
    expect(audit).toMatchObject({
      actorEmail: 'alex@portal.example',
      before: { endpointLimit: 2, monthlyTransferLimitGib: 300, reason: null },
    });
    for (const wh of ['redshift', 'snowflake', 'databricks'] as const) await caseIn(h.db, w, wh, 'submitted');
    expect((await getWorkspaceUsage(h.db, w.acme))!.endpointsUsed).toBe(3);
  });
});

describe('notifications from transitions', () => {
  it('tells the CSM about a submission and the customer when they must act, but nobody about their own action', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'awaiting_customer');
    const rows = await h.db
      .select({ userId: notifications.userId, caseId: notifications.caseId, title: notifications.title })
      .from(notifications);
    const forUser = (id: string) => rows.filter((r) => r.userId === id && r.caseId === c.id);
    expect(forUser(w.casey.id).length).toBeGreaterThanOrEqual(1); // the submission
    expect(forUser(w.ada.id).length).toBeGreaterThanOrEqual(1); // accepted: needs her details
    expect(forUser(w.grace.id)).toEqual([]); // another workspace hears nothing
  });
});

describe('reconciler events', () => {
  it('lets only the reconciler activate, and records outputs', async () => {
    const c = await caseIn(h.db, w, 'redshift', 'provisioning');
    expect((await refusal(applyEvent(h.db, w.erin, { caseId: c.id, event: 'activate', version: c.version }))).reason).toBe('wrong_role');
    const active = await applyEvent(h.db, 'reconciler', {
      caseId: c.id,
      event: 'activate',
      payload: { outputs: { hostname: 'x.example:5439' } },
    });
    expect(active).toMatchObject({ state: 'active', outputs: { hostname: 'x.example:5439' } });
    const [ev] = await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(sql`id desc`).limit(1);
    expect(ev).toMatchObject({ event: 'activate', actorId: null, actorRole: 'reconciler', fromState: 'provisioning', toState: 'active' });
  });

  it('cancelling during provisioning tears down through decommissioning and keeps the slot until then', async () => {
    const c = await caseIn(h.db, w, 'snowflake', 'provisioning');
    const cancelled = await applyEvent(h.db, w.ada, { caseId: c.id, event: 'cancel', version: c.version });
    expect(cancelled.state).toBe('decommissioning');
    expect((await getWorkspaceUsage(h.db, w.acme))!.endpointsUsed).toBe(1);
    await applyEvent(h.db, 'reconciler', { caseId: c.id, event: 'decommissioned' });
    expect((await getWorkspaceUsage(h.db, w.acme))!.endpointsUsed).toBe(0);
  });
});

describe('every stored case has a consistent trail', () => {
  it('matches each case state with its last event', async () => {
    for (const wh of WAREHOUSES) await caseIn(h.db, w, wh, 'ready_to_provision', wh === 'redshift' || wh === 'snowflake' ? w.ada : w.grace);
    const rows = await h.db.select({ id: cases.id, state: cases.state }).from(cases);
    for (const r of rows) {
      const [last] = await h.db
        .select({ to: caseEvents.toState })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, r.id))
        .orderBy(sql`id desc`)
        .limit(1);
      expect(last?.to).toBe(r.state);
    }
  });
});
