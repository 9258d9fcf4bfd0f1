import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '@/db/schema';
import { applyEvent } from '@/lib/cases/service';
import { listSandboxVpcEndpoints } from '@/lib/cloud/sandbox-controls';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { allEndpoints, auditActions, caseRow, depsFor, drive, type Env, liveEndpoints, provisioningCase, setup } from './support';

let env: Env;
beforeAll(async () => {
  env = await setup({ endpointLimit: 5 });
});
afterAll(async () => {
  await env?.h.close();
});

/**
 * A reconciler process that dies right after AWS did something: the call succeeds in the (sandbox) edge account, and
 * then nothing more of that round ever runs — no recording, no lease release — as when the process is killed.
 */
function dyingAfter(adapter: EdgeAdapter, method: 'createVpcEndpoint' | 'createRedshiftEndpoint') {
  let died!: () => void;
  const dead = new Promise<void>((resolve) => {
    died = resolve;
  });
  const proxy = new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method) return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        died();
        return new Promise(() => {}); // never returns: the process is gone
      };
    },
  });
  return { adapter: proxy, dead };
}

/** A second process starting after the first one's lease ran out (its clock is past the lease). */
function laterProcess(leaseMs: number) {
  const later = () => new Date(Date.now() + leaseMs + 1_000);
  return depsFor(env.db, env.sandbox, { leaseMs }, later);
}

describe('killed between "AWS created it" and "we recorded it"', () => {
  it('adopts the tagged VPC endpoint on restart: one endpoint in the edge account, one row', async () => {
    const c = await provisioningCase(env, 'snowflake');
    const { adapter, dead } = dyingAfter(env.sandbox, 'createVpcEndpoint');
    void reconcileOnce(depsFor(env.db, adapter, { leaseMs: 60_000 }));
    await dead;
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
    expect(await allEndpoints(env.db, c.id)).toEqual([]);
    expect((await caseRow(env.db, c.id)).leaseOwner).not.toBeNull();

    const { c: active } = await drive(laterProcess(60_000), c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const inAws = await listSandboxVpcEndpoints(env.db, c.id);
    expect(inAws).toHaveLength(1);
    const rows = await allEndpoints(env.db, c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.awsId).toBe(inAws[0]!.id);
    expect((await auditActions(env.db, 'edge.adopt_vpc_endpoint')).some((a) => a.targetId === c.id)).toBe(true);
  });

  it('gets the same endpoint back from the ClientToken when the tag lookup does not see it yet', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    const { adapter, dead } = dyingAfter(env.sandbox, 'createVpcEndpoint');
    void reconcileOnce(depsFor(env.db, adapter, { leaseMs: 60_000 }));
    await dead;
    // EC2's tag index is eventually consistent: the restarted process's lookup comes back empty.
    const blind = new Proxy(env.sandbox, {
      get(target, prop, receiver) {
        if (prop === 'findVpcEndpointsByCase') return async () => [];
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { c: active } = await drive(
      depsFor(env.db, blind, { leaseMs: 60_000 }, () => new Date(Date.now() + 61_000)),
      c.id,
      ['active', 'failed'],
    );
    expect(active.state).toBe('active');
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
    expect(await allEndpoints(env.db, c.id)).toHaveLength(1);
  });

  it('adopts the Redshift-managed endpoint found under its deterministic name', async () => {
    const c = await provisioningCase(env, 'redshift', env.w.grace);
    const { adapter, dead } = dyingAfter(env.sandbox, 'createRedshiftEndpoint');
    void reconcileOnce(depsFor(env.db, adapter, { leaseMs: 60_000 }));
    await dead;
    const { c: active } = await drive(laterProcess(60_000), c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const rows = await allEndpoints(env.db, c.id);
    expect(rows).toHaveLength(1);
    expect((await auditActions(env.db, 'edge.adopt_redshift_endpoint')).some((a) => a.targetId === c.id)).toBe(true);
    expect((await auditActions(env.db, 'edge.create_redshift_endpoint')).filter((a) => a.targetId === c.id)).toEqual([]);
  });

  it('leaves nothing behind when the case is cancelled before the restart', async () => {
    const c = await provisioningCase(env, 'rds_postgres');
    const { adapter, dead } = dyingAfter(env.sandbox, 'createVpcEndpoint');
    void reconcileOnce(depsFor(env.db, adapter, { leaseMs: 60_000 }));
    await dead;
    const now = await caseRow(env.db, c.id);
    await applyEvent(env.db, env.w.ada, { caseId: c.id, event: 'cancel', version: now.version });
    const { c: closed } = await drive(laterProcess(60_000), c.id, ['decommissioned']);
    expect(closed.state).toBe('decommissioned');
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.state)).toEqual(['deleted']);
    expect(await liveEndpoints(env.db, c.id)).toEqual([]);
  });

  it('lets go of the case when the database refuses a second live endpoint row, then converges on one', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace);
    // Something else writes a live endpoint row for the case while this reconciler is creating one.
    const racing = new Proxy(env.sandbox, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'createVpcEndpoint') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const created = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          await env.db
            .insert(endpoints)
            .values({ caseId: c.id, workspaceId: env.w.globex, region: 'us-east-1', kind: 'interface', state: 'creating' });
          return created;
        };
      },
    });
    const [first] = await reconcileOnce(depsFor(env.db, racing));
    expect(first?.error).toMatch(/^Could not record the reconciler's result/);
    const held = await caseRow(env.db, c.id);
    expect(held).toMatchObject({ state: 'provisioning', leaseOwner: null, reconcileAttempts: 1 });

    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    expect(await allEndpoints(env.db, c.id)).toHaveLength(1);
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
  });
});
