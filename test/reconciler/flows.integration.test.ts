import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { applyEvent, saveInputs } from '@/lib/cases/service';
import { listSandboxDnsRecords, listSandboxVpcEndpoints } from '@/lib/cloud/sandbox-controls';
import { answerConnection, registerDatabricksEndpoint } from '@/lib/cloud/sandbox-customer';
import { fillPhase } from '../support/world';
import {
  allEndpoints,
  auditActions,
  caseRow,
  drive,
  type Env,
  eventsOf,
  liveDns,
  liveEndpoints,
  provisioningCase,
  setup,
  wake,
} from './support';

const VPCE_ID = /^vpce-[0-9a-f]{17}$/;
const VPCE_DNS = /^vpce-[0-9a-f]{17}-[a-z0-9]{8}\.vpce-svc-[0-9a-f]{17}\.us-east-1\.vpce\.amazonaws\.com$/;

let env: Env;
beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  await env?.h.close();
});

/** An engineer decommissions the case; the reconciler tears it down. */
async function decommission(caseId: string) {
  const c = await caseRow(env.db, caseId);
  await applyEvent(env.db, env.w.frank, { caseId, event: 'decommission', version: c.version, note: 'Customer moved away' });
  return drive(env.deps, caseId, ['decommissioned']);
}

describe('Snowflake', () => {
  it('creates the endpoint, points the account and OCSP host names at it, activates, and tears it all down', async () => {
    const c = await provisioningCase(env, 'snowflake');
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep).toMatchObject({
      kind: 'interface',
      state: 'available',
      port: 443,
      serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788',
    });
    expect(ep!.awsId).toMatch(VPCE_ID);
    expect(ep!.dnsName).toMatch(/\.vpce-svc-0f1e2d3c4b5a69788\.us-east-1\.vpce\.amazonaws\.com$/);
    expect(active.outputs).toMatchObject({
      account: 'xy12345.us-east-1.privatelink',
      vpcEndpointId: ep!.awsId,
      vpcEndpointDnsName: ep!.dnsName,
    });

    const names = (await liveDns(env.db, c.id)).map((r) => `${r.name} ${r.type} ${r.ttl} → ${r.value === ep!.dnsName}`).sort();
    expect(names).toEqual([
      'myorg-acme.privatelink.snowflakecomputing.com CNAME 300 → true',
      'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com CNAME 300 → true',
      'xy12345.us-east-1.privatelink.snowflakecomputing.com CNAME 300 → true',
    ]);
    expect((await listSandboxDnsRecords(env.db)).filter((r) => r.value === ep!.dnsName)).toHaveLength(3);

    const { c: gone } = await decommission(c.id);
    expect(gone.state).toBe('decommissioned');
    expect(await liveEndpoints(env.db, c.id)).toEqual([]);
    expect(await liveDns(env.db, c.id)).toEqual([]);
    expect((await listSandboxDnsRecords(env.db)).filter((r) => r.value === ep!.dnsName)).toEqual([]);
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.state)).toEqual(['deleted']);
  });
});

describe('a host name another connection already has', () => {
  it("fails the second case without naming another workspace's case to its customer; the audit names it for staff", async () => {
    const first = await provisioningCase(env, 'snowflake', env.w.ada);
    expect((await drive(env.deps, first.id, ['active', 'failed'])).c.state).toBe('active');
    const firstRow = await caseRow(env.db, first.id);

    // Grace's workspace (Globex) pastes the same Snowflake account's configuration.
    const second = await provisioningCase(env, 'snowflake', env.w.grace);
    const { c: failed } = await drive(env.deps, second.id, ['active', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toContain('is already connected from another account: your CSM will follow up');
    for (const secret of [`PL-${firstRow.number}`, first.id, 'Acme']) expect(failed.lastError).not.toContain(secret);

    const [conflict] = await env.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'edge.dns_name_conflict'), eq(auditLog.targetId, second.id)));
    expect(conflict?.after).toMatchObject({ otherCaseId: first.id, otherCaseNumber: firstRow.number, otherWorkspaceId: env.w.acme });
    await decommission(first.id);
  });
});

describe('Redshift', () => {
  it('checks the grant, creates the managed endpoint under a name from the case, and hands back its address and port apart', async () => {
    const c = await provisioningCase(env, 'redshift');
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep).toMatchObject({
      kind: 'redshift_managed',
      state: 'active',
      port: 5439,
      awsId: `plp-${c.id.replace(/-/g, '').slice(0, 20)}`,
    });
    expect(ep!.dnsName).toMatch(/^plp-[0-9a-f]{20}-endpoint-[a-z0-9]{20}\.[0-9a-f]{12}\.us-east-1\.redshift\.amazonaws\.com$/);
    expect(ep!.vpcEndpointId).toMatch(VPCE_ID);
    expect(ep!.serviceName).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    expect(active.outputs).toMatchObject({ host: ep!.dnsName, port: 5439 });
    expect((await auditActions(env.db, 'edge.create_redshift_endpoint')).at(-1)).toMatchObject({ role: 'reconciler', targetId: c.id });

    const { c: gone } = await decommission(c.id);
    expect(gone.state).toBe('decommissioned');
    expect(await env.sandbox.describeRedshiftEndpoint('us-east-1', ep!.awsId!)).toBeNull();
    expect((await allEndpoints(env.db, c.id))[0]).toMatchObject({ state: 'deleted', deletedAt: expect.any(Date) });
  });
});

describe('RDS Postgres', () => {
  it('places the endpoint in the AZs both sides share, by AZ ID, and activates with its DNS name as the host', async () => {
    // The customer's service: their NLB in three zones, two of them the edge's; it does not ask to accept.
    const c = await provisioningCase(env, 'rds_postgres', env.w.ada, {
      azIds: ['use1-az2', 'use1-az3', 'use1-az5'],
      acceptanceRequired: false,
    });
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep!.azIds).toEqual(['use1-az2', 'use1-az3']);
    expect(ep!.subnetIds).toEqual(['subnet-012b4c6d8e0f2a4c6', 'subnet-013b4c6d8e0f2a4c6']);
    expect(ep!.dnsName).toMatch(VPCE_DNS);
    expect(active.outputs).toMatchObject({ host: ep!.dnsName, vpcEndpointId: ep!.awsId });
    // Straight to active: this service does not ask its owner to accept.
    expect((await eventsOf(env.db, c.id)).map((e) => e.to).slice(-2)).toEqual(['provisioning', 'active']);

    expect((await decommission(c.id)).c.state).toBe('decommissioned');
  });

  it('waits in awaiting_customer_action while the connection is pendingAcceptance, and activates once it is accepted', async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.grace, { acceptanceRequired: true });
    const { c: waiting } = await drive(env.deps, c.id, ['awaiting_customer_action', 'failed']);
    expect(waiting.state).toBe('awaiting_customer_action');
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep!.state).toBe('pendingAcceptance');
    expect(waiting.outputs.vpcEndpointId).toBe(ep!.awsId);
    expect(waiting.outputs.host).toBeUndefined();

    // Still waiting after another look: nobody accepts for the customer.
    expect((await drive(env.deps, c.id, ['active'], 3)).c.state).toBe('awaiting_customer_action');
    // Only the service's owner may answer: another workspace's admin cannot accept it for them.
    await expect(answerConnection(env.db, { workspaceId: env.w.acme, vpcEndpointId: ep!.awsId!, answer: 'accept' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await answerConnection(env.db, { workspaceId: env.w.globex, vpcEndpointId: ep!.awsId!, answer: 'accept' });
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    expect(active.outputs.host).toBe((await liveEndpoints(env.db, c.id))[0]!.dnsName);
    expect((await decommission(c.id)).c.state).toBe('decommissioned');
  });
});

describe('Databricks', () => {
  it('hands over the endpoint ID, waits for the workspace URL, writes its DNS record, then activates', async () => {
    const c = await provisioningCase(env, 'databricks');
    const { c: waiting } = await drive(env.deps, c.id, ['awaiting_customer_action', 'failed']);
    expect(waiting.state).toBe('awaiting_customer_action');
    const [ep] = await liveEndpoints(env.db, c.id);
    expect(ep!.serviceName).toBe('com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04');
    expect(waiting.outputs.vpcEndpointId).toBe(ep!.awsId);

    // Nothing more happens until the customer answers.
    expect((await drive(env.deps, c.id, ['active'], 3)).c.state).toBe('awaiting_customer_action');
    expect(await liveDns(env.db, c.id)).toEqual([]);

    // Saved answers are not sent: the edge does nothing with them, however long it looks.
    const saved = await fillPhase(env.db, env.w.ada, c.id, waiting.version, 'databricks', 'after_endpoint');
    await wake(env.db, c.id);
    const { c: stillWaiting, seen } = await drive(env.deps, c.id, ['active'], 5);
    expect(seen.length).toBeGreaterThan(0);
    expect(stillWaiting).toMatchObject({ state: 'awaiting_customer_action', version: saved });
    expect(await liveDns(env.db, c.id)).toEqual([]);
    // Nor does Databricks accept the endpoint: the customer has not told us they registered it.
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.state)).toEqual(['pendingAcceptance']);

    // "Send and finish": the customer's explicit send is what moves the case on.
    const sent = await applyEvent(env.db, env.w.ada, { caseId: c.id, event: 'send_customer_action', version: saved });
    expect(sent.state).toBe('provisioning');
    // Sending is not registering: Databricks accepts only the endpoint the customer registers in their account.
    expect((await drive(env.deps, c.id, ['active'], 3)).c.state).toBe('provisioning');
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.state)).toEqual(['pendingAcceptance']);
    // Once sent, the answers are fixed: what the edge acts on cannot change under it.
    await expect(
      saveInputs(env.db, env.w.ada, {
        caseId: c.id,
        version: sent.version,
        stepId: 'register-endpoint',
        values: { workspaceUrl: 'https://other.cloud.databricks.com' },
      }),
    ).rejects.toMatchObject({ reason: 'wrong_state' });
    await registerDatabricksEndpoint(env.db, { workspaceId: env.w.acme, vpcEndpointId: ep!.awsId! });
    await wake(env.db, c.id);
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    expect((await eventsOf(env.db, c.id)).map((e) => [e.event, e.actorRole]).slice(-3)).toEqual([
      ['await_customer_action', 'reconciler'],
      ['send_customer_action', 'customer_admin'],
      ['activate', 'reconciler'],
    ]);
    expect((await auditActions(env.db, 'case.send_customer_action')).at(-1)).toMatchObject({ role: 'customer_admin', targetId: c.id });
    expect(active.outputs).toMatchObject({ vpcEndpointId: ep!.awsId, workspaceHost: 'acme-analytics.cloud.databricks.com' });
    const dns = await liveDns(env.db, c.id);
    expect(dns.map((r) => [r.name, r.type, r.value])).toEqual([
      ['acme-analytics.cloud.databricks.com', 'CNAME', (await liveEndpoints(env.db, c.id))[0]!.dnsName],
    ]);
    expect(
      (await auditActions(env.db, 'edge.upsert_dns_record')).some(
        (a) => (a.after as { name: string }).name === 'acme-analytics.cloud.databricks.com',
      ),
    ).toBe(true);

    expect((await decommission(c.id)).c.state).toBe('decommissioned');
    expect((await listSandboxDnsRecords(env.db)).some((r) => r.name === 'acme-analytics.cloud.databricks.com')).toBe(false);
  });
});

describe('cancel during provisioning', () => {
  it('deletes the endpoint already made before freeing the slot', async () => {
    const c = await provisioningCase(env, 'snowflake', env.w.grace);
    await drive(env.deps, c.id, ['active'], 1); // one look: the endpoint exists now
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
    const now = await caseRow(env.db, c.id);
    await applyEvent(env.db, env.w.grace, { caseId: c.id, event: 'cancel', version: now.version });
    const { c: closed } = await drive(env.deps, c.id, ['decommissioned']);
    expect(closed.state).toBe('decommissioned');
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.state)).toEqual(['deleted']);
  });
});
