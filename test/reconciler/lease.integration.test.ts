import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, caseEvents, cases } from '@/db/schema';
import { applyEvent } from '@/lib/cases/service';
import { listSandboxVpcEndpoints } from '@/lib/cloud/sandbox-controls';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { backoffMs } from '@/lib/reconciler/config';
import { claimDueCases, releaseCase } from '@/lib/reconciler/lease';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { sendAfterEndpoint } from '../support/world';
import { registerDatabricksEndpoint } from '@/lib/cloud/sandbox-customer';
import { allEndpoints, caseRow, depsFor, drive, type Env, provisioningCase, setup, wake } from './support';

let env: Env;
beforeAll(async () => {
  env = await setup({ endpointLimit: 10 });
});
afterAll(async () => {
  await env?.h.close();
});

describe('leases', () => {
  it('claims without touching the version or updated_at the customer page relies on', async () => {
    const c = await provisioningCase(env, 'redshift');
    const before = await caseRow(env.db, c.id);
    const claimed = await claimDueCases(env.db, 'tester', 10, 60_000, new Date());
    expect(claimed.map((x) => x.id)).toContain(c.id);
    const held = await caseRow(env.db, c.id);
    expect(held).toMatchObject({ version: before.version, leaseOwner: 'tester' });
    expect(held.updatedAt).toEqual(before.updatedAt);
    expect(held.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);

    // Held: nobody else gets it until the lease runs out.
    expect((await claimDueCases(env.db, 'other', 10, 60_000, new Date())).map((x) => x.id)).not.toContain(c.id);
    expect((await claimDueCases(env.db, 'other', 10, 60_000, new Date(Date.now() + 61_000))).map((x) => x.id)).toContain(c.id);

    await releaseCase(env.db, c.id, 'other', {
      expectedVersion: before.version,
      next: new Date(Date.now() + 5_000),
      now: new Date(),
      attempts: 0,
      lastError: null,
    });
    const released = await caseRow(env.db, c.id);
    expect(released).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, version: before.version });
    expect(released.updatedAt).toEqual(before.updatedAt);
    expect(released.nextReconcileAt!.getTime()).toBeGreaterThan(Date.now() + 3_000);
  });

  it('looks again at once when a person changed the case while the reconciler worked on it', async () => {
    const c = await provisioningCase(env, 'databricks');
    await drive(env.deps, c.id, ['awaiting_customer_action']);
    const waiting = await caseRow(env.db, c.id);
    await wake(env.db, c.id);
    const [claimed] = await claimDueCases(env.db, 'slowpoke', 10, 60_000, new Date());
    expect(claimed?.id).toBe(c.id);
    // The customer answers and sends meanwhile (the send bumps the version and asks for a look now).
    await sendAfterEndpoint(env.db, env.w.ada, c.id, waiting.version, 'databricks');
    await releaseCase(env.db, c.id, 'slowpoke', {
      expectedVersion: waiting.version,
      next: new Date(Date.now() + 3_600_000),
      now: new Date(),
      attempts: 0,
      lastError: null,
    });
    expect((await caseRow(env.db, c.id)).nextReconcileAt!.getTime()).toBeLessThanOrEqual(Date.now());
    // Registered in their Databricks account too: Databricks accepts the endpoint.
    await registerDatabricksEndpoint(env.db, { workspaceId: env.w.acme, vpcEndpointId: String(waiting.outputs.vpcEndpointId) });
    expect((await drive(env.deps, c.id, ['active', 'failed'])).c.state).toBe('active');
  });

  it('records nothing for a reconciler whose lease ran out mid-round; the one that took over finishes', async () => {
    const c = await provisioningCase(env, 'snowflake');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    // The first reconciler stalls inside its AWS call (a long GC pause, a hung socket)…
    const stalled = new Proxy(env.sandbox, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'createVpcEndpoint') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          entered();
          await gate;
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    }) as EdgeAdapter;
    const first = reconcileOnce(depsFor(env.db, stalled, { leaseMs: 1 }));
    await inside;
    // …while a second one, later, finds the lease expired and does the work.
    const { c: active } = await drive(
      depsFor(env.db, env.sandbox, {}, () => new Date(Date.now() + 5_000)),
      c.id,
      ['active', 'failed'],
    );
    expect(active.state).toBe('active');
    release();
    const [stale] = (await first).filter((r) => r.caseId === c.id);
    expect(stale?.lostLease).toBe(true);
    expect(await allEndpoints(env.db, c.id)).toHaveLength(1);
    // The stalled create carried the same ClientToken, so AWS answered with the same endpoint.
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
    expect((await caseRow(env.db, c.id)).state).toBe('active');
  });

  it('applies an event only under the lease and the version it claimed, and lets go of the case in the same write', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    const [claimed] = (await claimDueCases(env.db, 'mine', 50, 60_000, new Date())).filter((x) => x.id === c.id);
    expect(claimed).toBeDefined();
    const next = new Date(Date.now() + 7_200_000);
    const activate = () =>
      applyEvent(env.db, 'reconciler', { caseId: c.id, event: 'activate', version: claimed!.version }, {}, new Date(), {
        seen: claimed!,
        owner: 'mine',
        release: { next, attempts: 2, lastError: 'still checking' },
      });
    const written = async () => ({
      events: (
        await env.db
          .select()
          .from(caseEvents)
          .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.event, 'activate')))
      ).length,
      audits: (
        await env.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.activate')))
      ).length,
    });

    // Another reconciler took the case over: nothing is written, and it stays that one's.
    await env.db.update(cases).set({ leaseOwner: 'other' }).where(eq(cases.id, c.id));
    await expect(activate()).rejects.toMatchObject({ reason: 'stale_version', message: 'Another reconciler holds this case now.' });
    expect(await caseRow(env.db, c.id)).toMatchObject({ state: 'provisioning', version: claimed!.version, leaseOwner: 'other' });
    expect(await written()).toEqual({ events: 0, audits: 0 });

    // A person changed the case since the claim: refused as a changed case, nothing written.
    await env.db
      .update(cases)
      .set({ leaseOwner: 'mine', version: claimed!.version + 1 })
      .where(eq(cases.id, c.id));
    await expect(activate()).rejects.toMatchObject({ reason: 'stale_version', message: /changed since you opened it/ });
    expect(await written()).toEqual({ events: 0, audits: 0 });

    // Held and unchanged: the case moves, with its event and audit rows once, and is let go with the next look set.
    await env.db.update(cases).set({ version: claimed!.version }).where(eq(cases.id, c.id));
    await activate();
    expect(await caseRow(env.db, c.id)).toMatchObject({
      state: 'active',
      version: claimed!.version + 1,
      leaseOwner: null,
      leaseExpiresAt: null,
      nextReconcileAt: next,
      reconcileAttempts: 2,
      lastError: 'still checking',
    });
    expect(await written()).toEqual({ events: 1, audits: 1 });
  });

  it('writes what a look found even when a person changed the case before its event, and looks again at once', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    // The first look creates the endpoint (pending in AWS); the case stays in provisioning.
    const [created] = (await reconcileOnce(env.deps)).filter((r) => r.caseId === c.id);
    expect(created?.event).toBeUndefined();
    const [pending] = await allEndpoints(env.db, c.id);
    expect(pending?.state).toBe('pending');
    const before = await caseRow(env.db, c.id);
    await wake(env.db, c.id);

    // The next look finds it available and would activate the case — but while it asks AWS, the case changes.
    const interfering = new Proxy(env.sandbox, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'describeVpcEndpoint') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          await env.db
            .update(cases)
            .set({ version: before.version + 1 })
            .where(eq(cases.id, c.id));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    }) as EdgeAdapter;
    const [looked] = (await reconcileOnce(depsFor(env.db, interfering))).filter((r) => r.caseId === c.id);
    expect(looked).toBeDefined();
    expect(looked?.event).toBeUndefined();
    expect(looked?.lostLease).toBeUndefined();
    // Not activated, let go, due now — and the endpoint row says what AWS said.
    const after = await caseRow(env.db, c.id);
    expect(after).toMatchObject({ state: 'provisioning', version: before.version + 1, leaseOwner: null });
    expect(after.nextReconcileAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const rows = await allEndpoints(env.db, c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: pending!.id, state: 'available' });
    const activations = () =>
      env.db
        .select()
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.event, 'activate')));
    expect(await activations()).toHaveLength(0);

    // The look after that activates it, once, on the same endpoint.
    expect((await drive(env.deps, c.id, ['active', 'failed'])).c.state).toBe('active');
    expect(await activations()).toHaveLength(1);
    expect(await allEndpoints(env.db, c.id)).toHaveLength(1);
  });

  it('does not schedule cases that left the reconciler states', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    await claimDueCases(env.db, 'x', 10, 60_000, new Date());
    await env.db.update(cases).set({ state: 'failed' }).where(eq(cases.id, c.id));
    await releaseCase(env.db, c.id, 'x', {
      expectedVersion: c.version,
      next: new Date(),
      now: new Date(),
      attempts: 3,
      lastError: 'kept?',
    });
    const after = await caseRow(env.db, c.id);
    expect(after.nextReconcileAt).toBeNull();
    expect(after.lastError).toBeNull();
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, with half of each step random', () => {
    const cfg = { backoffBaseMs: 1_000, backoffMaxMs: 8_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, cfg, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, cfg, () => 0.999999))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });
});
