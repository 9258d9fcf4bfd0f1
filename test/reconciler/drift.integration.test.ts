import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDnsRecordOutOfBand, deleteVpcEndpointOutOfBand, revokeRedshiftAuthorization } from '@/lib/cloud/sandbox-controls';
import { setServiceAzs } from '@/lib/cloud/sandbox-customer';
import { reconcileOnce } from '@/lib/reconciler/reconcile';
import { auditActions, drive, type Env, liveDns, liveEndpoints, provisioningCase, setup, wake } from './support';

let env: Env;
beforeAll(async () => {
  env = await setup({ endpointLimit: 10 });
});
afterAll(async () => {
  await env?.h.close();
});

/** The periodic look at an active case, now. */
async function recheck(caseId: string) {
  await wake(env.db, caseId);
  const results = await reconcileOnce(env.deps);
  expect(results.map((r) => r.caseId)).toContain(caseId);
  return (await liveEndpoints(env.db, caseId))[0]!;
}

describe('drift on active endpoints', () => {
  it('flags a DNS record removed from the hosted zone, and clears the flag once it is back', async () => {
    const c = await provisioningCase(env, 'snowflake');
    await drive(env.deps, c.id, ['active']);
    expect((await recheck(c.id)).drift).toEqual([]);

    const [record] = (await liveDns(env.db, c.id)).filter((r) => r.name.startsWith('ocsp.'));
    await deleteDnsRecordOutOfBand(env.db, record!.hostedZoneId, record!.name);
    const flagged = await recheck(c.id);
    expect(flagged.drift).toEqual([
      `DNS record ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com (CNAME) is missing from hosted zone ${record!.hostedZoneId}.`,
    ]);
    expect((await auditActions(env.db, 'endpoint.drift_detected')).at(-1)).toMatchObject({ role: 'reconciler', targetId: flagged.id });

    await env.sandbox.upsertDnsRecords([
      { hostedZoneId: record!.hostedZoneId, name: record!.name, type: 'CNAME', value: record!.value, ttl: 300 },
    ]);
    expect((await recheck(c.id)).drift).toEqual([]);
    expect((await auditActions(env.db, 'endpoint.drift_cleared')).at(-1)?.targetId).toBe(flagged.id);
  });

  it("moves the endpoint's subnets when the customer's service moved zones, and reports a move it cannot follow", async () => {
    const c = await provisioningCase(env, 'rds_postgres', env.w.ada, { azIds: ['use1-az1', 'use1-az2'] });
    const RDS_SERVICE = String(c.inputs.endpointServiceName);
    await drive(env.deps, c.id, ['active']);
    // The customer moves their load balancer (their own act, in their console).
    const move = (azIds: string[]) => setServiceAzs(env.db, { workspaceId: env.w.acme, serviceName: RDS_SERVICE, azIds });
    await move(['use1-az2', 'use1-az3', 'use1-az6']);
    const followed = await recheck(c.id);
    expect(followed.drift).toEqual([]);
    // The edge VPC has subnets in use1-az1..3: the endpoint now sits in the two zones both sides share.
    expect([...followed.azIds].sort()).toEqual(['use1-az2', 'use1-az3']);
    await move(['use1-az5']);
    expect((await recheck(c.id)).drift[0]).toMatch(/moved to use1-az5, none of which the edge VPC has .*no longer reaches the service\.$/);
  });

  it('flags an endpoint deleted outside the portal', async () => {
    const c = await provisioningCase(env, 'rds_postgres');
    await drive(env.deps, c.id, ['active']);
    const [ep] = await liveEndpoints(env.db, c.id);
    await deleteVpcEndpointOutOfBand(env.db, ep!.awsId!);
    const flagged = await recheck(c.id);
    expect(flagged.drift).toEqual([`VPC endpoint ${ep!.awsId} no longer exists in the edge account (deleted outside the portal).`]);
    expect(flagged.state).toBe('deleted');
  });

  it('flags a Redshift grant the cluster owner revoked', async () => {
    const c = await provisioningCase(env, 'redshift', env.w.grace);
    await drive(env.deps, c.id, ['active']);
    const cluster = String(c.inputs.clusterIdentifier);
    await revokeRedshiftAuthorization(env.db, 'us-east-1', String(c.inputs.awsAccountId), cluster);
    expect((await recheck(c.id)).drift).toEqual([`The cluster owner revoked the edge account's access to cluster ${cluster}.`]);
  });
});
