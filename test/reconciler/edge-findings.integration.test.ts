import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, users } from '@/db/schema';
import { listSandboxVpcEndpoints, setEndpointService } from '@/lib/cloud/sandbox-controls';
import { registerDatabricksEndpoint } from '@/lib/cloud/sandbox-customer';
import type { EdgeAdapter, VpcEndpoint } from '@/lib/cloud/types';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { sendAfterEndpoint } from '../support/world';
import { auditActions, depsFor, drive, type Env, liveDns, liveEndpoints, provisioningCase, sandboxFor, setup, wake } from './support';

// What an AWS emulator run showed the reconciler missing (docs/design.md#drift, docs/facts.md#the-partial-state,
// docs/facts.md#route-53-change-status).

let env: Env;
beforeAll(async () => {
  env = await setup({ endpointLimit: 20 });
});
afterAll(async () => {
  await env?.h.close();
});

/** The periodic look at an active case, now, through `adapter` (the sandbox unless told). */
async function recheck(caseId: string, adapter: EdgeAdapter = env.sandbox) {
  await wake(env.db, caseId);
  const results = await reconcileOnce(adapter === env.sandbox ? env.deps : depsFor(env.db, adapter));
  expect(results.map((r) => r.caseId)).toContain(caseId);
  return (await liveEndpoints(env.db, caseId))[0]!;
}

/** An active RDS case whose customer made their own service in those zones (each case its own service). */
async function activeRdsCase(azIds: string[]) {
  const c = await provisioningCase(env, 'rds_postgres', env.w.ada, { azIds });
  const { c: active } = await drive(env.deps, c.id, ['active']);
  expect(active.state).toBe('active');
  return { ...c, service: String(c.inputs.endpointServiceName) };
}

/** The sandbox, except that AWS reports every endpoint it describes as `partial`. */
function reportingPartial(): EdgeAdapter {
  const sandbox = env.sandbox;
  return Object.assign(Object.create(sandbox) as EdgeAdapter, {
    async describeVpcEndpoint(region: string, id: string): Promise<VpcEndpoint | null> {
      const ep = await sandbox.describeVpcEndpoint(region, id);
      return ep && { ...ep, state: 'partial' as const };
    },
  });
}

async function notifiedAbout(caseId: string, kind: string) {
  return env.db
    .select({ email: users.email, title: notifications.title, body: notifications.body })
    .from(notifications)
    .innerJoin(users, eq(notifications.userId, users.id))
    .where(and(eq(notifications.caseId, caseId), eq(notifications.kind, kind)))
    .orderBy(users.email);
}

describe('an active endpoint follows its service’s Availability Zones', () => {
  it('adds the newly shared zones and removes the ones no longer offered, audited and notified', async () => {
    const c = await activeRdsCase(['use1-az1', 'use1-az2']);
    const [before] = await liveEndpoints(env.db, c.id);
    expect(before!.azIds).toEqual(['use1-az1', 'use1-az2']);

    await setEndpointService(env.db, c.service, { azIds: ['use1-az2', 'use1-az3', 'use1-az6'] });
    const after = await recheck(c.id);

    const [inAws] = await listSandboxVpcEndpoints(env.db, c.id);
    expect([...inAws!.azIds].sort()).toEqual(['use1-az2', 'use1-az3']);
    // The row keeps what AWS reports afterwards.
    expect([...after.azIds].sort()).toEqual(['use1-az2', 'use1-az3']);
    expect([...after.subnetIds].sort()).toEqual([...inAws!.subnetIds].sort());
    expect(after.drift).toEqual([]);

    const [audit] = (await auditActions(env.db, 'edge.modify_vpc_endpoint')).filter((a) => a.targetId === c.id);
    expect(audit).toMatchObject({
      role: 'reconciler',
      after: {
        vpcEndpointId: before!.awsId,
        added: ['use1-az3'],
        removed: ['use1-az1'],
        before: { azIds: ['use1-az1', 'use1-az2'], subnetIds: before!.subnetIds },
        after: { subnetIds: inAws!.subnetIds },
      },
    });

    // The workspace's customer admins and the engineers hear of it; nobody else.
    const told = await notifiedAbout(c.id, 'endpoint.azs_changed');
    expect(told.map((n) => n.email)).toEqual(['ada@acme.example', 'erin@portal.example', 'frank@portal.example']);
    expect(told[0]!.body).toContain(`from use1-az1, use1-az2 to ${after.azIds.join(', ')}`);

    // Once moved, a second look changes nothing.
    const again = await recheck(c.id);
    expect(again.drift).toEqual([]);
    expect((await auditActions(env.db, 'edge.modify_vpc_endpoint')).filter((a) => a.targetId === c.id)).toHaveLength(1);
  });

  it('does removals alone when at least one zone stays', async () => {
    const c = await activeRdsCase(['use1-az1', 'use1-az2']);
    await setEndpointService(env.db, c.service, { azIds: ['use1-az2', 'use1-az5'] });
    const after = await recheck(c.id);
    expect(after.azIds).toEqual(['use1-az2']);
    expect((await listSandboxVpcEndpoints(env.db, c.id))[0]!.azIds).toEqual(['use1-az2']);
    expect(after.drift).toEqual([]);
  });

  it('never removes the last zone: with none shared, the endpoint stays as it is and the drift says why', async () => {
    const c = await activeRdsCase(['use1-az1', 'use1-az2']);
    const [inAwsBefore] = await listSandboxVpcEndpoints(env.db, c.id);
    await setEndpointService(env.db, c.service, { azIds: ['use1-az5'] });
    const after = await recheck(c.id);

    expect(after.drift[0]).toMatch(/moved to use1-az5, none of which the edge VPC has .*no longer reaches the service\.$/);
    const [inAws] = await listSandboxVpcEndpoints(env.db, c.id);
    expect(inAws!.subnetIds).toEqual(inAwsBefore!.subnetIds);
    expect(after.azIds).toEqual(['use1-az1', 'use1-az2']);
    expect((await auditActions(env.db, 'edge.modify_vpc_endpoint')).filter((a) => a.targetId === c.id)).toEqual([]);
    expect(await notifiedAbout(c.id, 'endpoint.azs_changed')).toEqual([]);
  });
});

describe('a second endpoint tagged with the case', () => {
  it('is flagged and deleted, and the recorded endpoint is kept', async () => {
    const c = await activeRdsCase(['use1-az1', 'use1-az2']);
    const [recorded] = await liveEndpoints(env.db, c.id);
    // What a lease that expired mid-create leaves behind: another endpoint carrying the case's tag.
    const as = await env.sandbox.ensureWorkspacePrincipal(c.workspaceId);
    const extra = await env.sandbox.createVpcEndpoint({
      region: 'us-east-1',
      caseId: c.id,
      as,
      serviceName: c.service,
      azIds: ['use1-az1'],
      clientToken: `plp-${c.id}-stray`,
    });

    const flagged = await recheck(c.id);
    expect(flagged.awsId).toBe(recorded!.awsId);
    expect(flagged.drift).toEqual([
      expect.stringMatching(
        new RegExp(
          `^VPC endpoint ${extra.id} \\(\\w+\\) was a second endpoint tagged with this case beside ${recorded!.awsId}: the portal deleted it\\.$`,
        ),
      ),
    ]);
    const inAws = await listSandboxVpcEndpoints(env.db, c.id);
    expect(inAws.find((e) => e.id === extra.id)?.state).toMatch(/^delet/);
    expect(inAws.find((e) => e.id === recorded!.awsId)?.state).toBe('available');
    expect((await auditActions(env.db, 'edge.delete_vpc_endpoint')).filter((a) => a.targetId === c.id)).toEqual([
      expect.objectContaining({
        role: 'reconciler',
        after: expect.objectContaining({ vpcEndpointId: extra.id, reason: 'duplicate endpoint for the case' }),
      }),
    ]);

    // Gone, the duplicate no longer counts.
    expect((await recheck(c.id)).drift).toEqual([]);
  });
});

describe('the EC2 state Partial', () => {
  it('on an active endpoint, is reported as drift', async () => {
    const c = await activeRdsCase(['use1-az1', 'use1-az2']);
    const [ep] = await liveEndpoints(env.db, c.id);
    const flagged = await recheck(c.id, reportingPartial());
    expect(flagged.state).toBe('partial');
    expect(flagged.drift).toEqual([
      `VPC endpoint ${ep!.awsId} is partial: AWS has it in service in only part of its subnets, so traffic may not get through from every zone. An engineer should check its network interfaces in the edge account.`,
    ]);
  });

  it('while provisioning, keeps the case waiting with the state shown, and activates once it is available', async () => {
    const c = await provisioningCase(env, 'snowflake');
    const partial = depsFor(env.db, reportingPartial());
    const { c: waiting } = await drive(partial, c.id, ['active'], 6);
    expect(waiting.state).toBe('provisioning');
    expect(waiting.lastError).toMatch(/^VPC endpoint vpce-[0-9a-f]{17} is partial: /);
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep!.state).toBe('partial');
    expect(await liveDns(env.db, c.id)).toEqual([]);

    const { c: active } = await drive(env.deps, c.id, ['active']);
    expect(active.state).toBe('active');
    expect(active.lastError).toBeNull();
  });
});

describe('Route 53 changes must be INSYNC before a case goes active', () => {
  const DELAY_MS = 30_000;

  // A database of its own: the Snowflake host names of the other tests' cases would clash with this one's. The time
  // limit allows for many rounds and a fresh database on a loaded machine; nothing waits on real time.
  it('keeps a Snowflake case provisioning while its change is PENDING, and activates once delayMs passed', async () => {
    const own = await setup();
    try {
      const c = await provisioningCase(own, 'snowflake');
      let t = Date.now() + 1_000;
      const clock = () => new Date(t);
      const sandbox = sandboxFor(own.db, { delayMs: DELAY_MS, clock });
      const deps = depsFor(own.db, sandbox, {}, clock);

      // The endpoint is created, pending until DELAY_MS passed.
      expect((await drive(deps, c.id, ['active'], 3)).c.state).toBe('provisioning');
      t += DELAY_MS;
      // Available: the CNAMEs are written, each with the change to wait for.
      expect((await drive(deps, c.id, ['active'], 4)).c.state).toBe('provisioning');
      const written = await liveDns(own.db, c.id);
      expect(written.length).toBeGreaterThan(0);
      for (const r of written) {
        expect(r.changeId).toMatch(/^C[A-Z0-9]{13}$/);
        expect(r.inSyncAt).toBeNull();
      }
      expect(await sandbox.getDnsChangeStatus(written[0]!.changeId!)).toBe('PENDING');

      // Still PENDING one millisecond before: no activation.
      t += DELAY_MS - 1;
      expect((await drive(deps, c.id, ['active'], 3)).c.state).toBe('provisioning');
      expect((await liveDns(own.db, c.id)).every((r) => r.inSyncAt === null)).toBe(true);

      t += 1;
      const { c: active } = await drive(deps, c.id, ['active'], 3);
      expect(active.state).toBe('active');
      const synced = await liveDns(own.db, c.id);
      expect(synced.map((r) => r.inSyncAt?.getTime())).toEqual(synced.map(() => t));
    } finally {
      await own.h.close();
    }
  }, 120_000);

  it('counts records without a change ID (written before change IDs were kept) as in sync', async () => {
    const sandbox = env.sandbox;
    // An adapter that hands out no change IDs, as the portal's records were written before; asking for a change
    // status would be a mistake.
    const older = Object.assign(Object.create(sandbox) as EdgeAdapter, {
      async upsertDnsRecords(records: Parameters<EdgeAdapter['upsertDnsRecords']>[0]) {
        await sandbox.upsertDnsRecords(records);
        return { changeIds: [] };
      },
      async getDnsChangeStatus(): Promise<'PENDING' | 'INSYNC'> {
        throw new Error('a record without a change ID was asked about');
      },
    });
    // Databricks: the other tests' Snowflake cases hold the Snowflake host names in this database.
    const c = await provisioningCase(env, 'databricks');
    const deps = depsFor(env.db, older);
    const { c: waiting } = await drive(deps, c.id, ['awaiting_customer_action']);
    // The customer registers the endpoint in their Databricks account (nothing accepts it by itself), then sends.
    await registerDatabricksEndpoint(env.db, { workspaceId: env.w.acme, vpcEndpointId: String(waiting.outputs.vpcEndpointId) });
    await sendAfterEndpoint(env.db, env.w.ada, c.id, waiting.version, 'databricks');
    const { c: active, seen } = await drive(deps, c.id, ['active']);
    expect(seen.filter((r) => r.error)).toEqual([]);
    expect(active.state).toBe('active');
    expect((await liveDns(env.db, c.id)).length).toBeGreaterThan(0);
    expect((await liveDns(env.db, c.id)).every((r) => r.changeId === null && r.inSyncAt === null)).toBe(true);
  });

  it('answers an unknown change ID as AWS does (NoSuchChange)', async () => {
    await expect(env.sandbox.getDnsChangeStatus('C0000000000000')).rejects.toMatchObject({
      operation: 'getDnsChange',
      awsCode: 'NoSuchChange',
    });
  });
});
