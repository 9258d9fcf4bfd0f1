import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEvent } from '@/lib/cases/service';
import { clearFaults, injectFault, listSandboxVpcEndpoints, setEndpointService } from '@/lib/cloud/sandbox-controls';
import { allowPrincipal, answerConnection } from '@/lib/cloud/sandbox-customer';
import { type CustomerPart, caseRow, drive, type Env, eventsOf, liveEndpoints, provisioningCase, roleOf, setup } from './support';

let env: Env;
beforeAll(async () => {
  env = await setup({ config: { maxAttempts: 4 } });
});
afterAll(async () => {
  await env?.h.close();
});
beforeEach(async () => {
  await clearFaults(env.db);
});

/** Each test gets its own workspace's slots: decommission what the last one left. */
async function fresh(warehouse: 'snowflake' | 'redshift' | 'rds_postgres' | 'databricks', part: CustomerPart = {}) {
  const { w } = env;
  for (const who of [w.ada, w.grace]) {
    try {
      return await provisioningCase(env, warehouse, who, part);
    } catch {
      /* that workspace is full */
    }
  }
  throw new Error('no free slot');
}

async function close(caseId: string) {
  const c = await caseRow(env.db, caseId);
  if (c.state === 'failed' || c.state === 'active') {
    await applyEvent(env.db, env.w.frank, { caseId, event: 'decommission', version: c.version, note: 'test cleanup' });
    await drive(env.deps, caseId, ['decommissioned']);
  }
}

describe('retryable faults end in a retry', () => {
  it.each([
    ['throttling', 'createVpcEndpoint', /AWS is throttling the edge account's createVpcEndpoint calls in us-east-1/],
    ['server_error', 'describeEndpointService', /AWS had an internal error on describeEndpointService/],
    ['timeout', 'findVpcEndpointsByCase', /findVpcEndpointsByCase in us-east-1 timed out/],
  ] as const)('%s on %s: the case records the error, backs off, then goes on to active', async (kind, operation, words) => {
    const c = await fresh('snowflake');
    await injectFault(env.db, { kind, operation, times: 2 });
    const first = await drive(env.deps, c.id, ['active', 'failed'], 1);
    expect(first.seen[0]?.error).toMatch(words);
    const mid = await caseRow(env.db, c.id);
    expect(mid).toMatchObject({ state: 'provisioning', reconcileAttempts: 1 });
    expect(mid.lastError).toMatch(words);
    const { c: done, seen } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(done.state).toBe('active');
    expect(done.lastError).toBeNull();
    expect(done.reconcileAttempts).toBe(0);
    expect(seen.filter((r) => r.error).length).toBe(1); // the second fault, then success
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toHaveLength(1);
    await close(c.id);
  });

  it('gives up after RECONCILER_MAX_ATTEMPTS retryable failures in a row, saying what kept failing', async () => {
    const c = await fresh('snowflake');
    await injectFault(env.db, { kind: 'throttling', operation: 'describeEndpointService' });
    const { c: failed } = await drive(env.deps, c.id, ['failed']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatch(/^Gave up after 4 attempts in a row\. Last error: AWS is throttling/);
    await clearFaults(env.db);

    // An engineer retries once AWS recovers: the case goes on to active.
    await applyEvent(env.db, env.w.erin, { caseId: c.id, event: 'retry', version: failed.version });
    expect((await drive(env.deps, c.id, ['active', 'failed'])).c.state).toBe('active');
    await close(c.id);
  });

  it('keeps retrying a decommission through faults instead of failing it', async () => {
    const c = await fresh('snowflake');
    await drive(env.deps, c.id, ['active']);
    await injectFault(env.db, { kind: 'server_error', operation: 'deleteVpcEndpoint', times: 5 });
    const active = await caseRow(env.db, c.id);
    await applyEvent(env.db, env.w.frank, { caseId: c.id, event: 'decommission', version: active.version, note: 'no longer needed' });
    await drive(env.deps, c.id, ['decommissioned'], 2); // the DNS records go first, then the endpoint delete fails
    // The endpoints dashboard shows what is going wrong meanwhile.
    expect((await liveEndpoints(env.db, c.id))[0]?.lastError).toMatch(/AWS had an internal error on deleteVpcEndpoint in us-east-1/);
    const { c: gone } = await drive(env.deps, c.id, ['decommissioned']);
    expect(gone.state).toBe('decommissioned');
  });
});

describe('permanent faults fail the case with words a CSM can act on', () => {
  it.each([
    [
      'not_authorized',
      'createVpcEndpoint',
      /The edge account is not authorized to call createVpcEndpoint in us-east-1: an engineer must check the edge role's IAM policy/,
    ],
    ['quota', 'createVpcEndpoint', /reached an AWS quota on createVpcEndpoint in us-east-1: an engineer must raise it in Service Quotas/],
    [
      'unknown_service',
      'describeEndpointService',
      /does not exist in us-east-1, or it does not list this workspace's role arn:aws:iam::210987654321:role\/plp-ws-[0-9a-f-]{36} as an allowed principal/,
    ],
  ] as const)('%s on %s', async (kind, operation, words) => {
    const c = await fresh('snowflake');
    await injectFault(env.db, { kind, operation, times: 1 });
    const { c: failed, seen } = await drive(env.deps, c.id, ['failed', 'active']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatch(words);
    expect(seen).toHaveLength(1); // no retries for a permanent error
    expect((await eventsOf(env.db, c.id)).at(-1)).toMatchObject({ event: 'fail', to: 'failed', actorRole: 'reconciler' });
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toEqual([]);
    await close(c.id);
  });

  it("fails an RDS case whose service does not allow the workspace's role, naming that role; allowing it and retrying succeeds", async () => {
    // The customer created the service but did not add the role shown on the case to its allowed principals.
    const c = await fresh('rds_postgres', { allow: false });
    const role = roleOf(c.workspaceId === env.w.acme ? env.w.ada : env.w.grace);
    const service = String(c.inputs.endpointServiceName);
    const { c: failed } = await drive(env.deps, c.id, ['failed', 'active']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toContain(
      `The endpoint service ${service} does not exist in us-east-1, or it does not list this workspace's role ${role} as an allowed principal: ask the customer to check the service name and to add ${role} to the service's allowed principals, then retry.`,
    );
    expect(failed.lastError).not.toContain('the edge account');
    expect(await listSandboxVpcEndpoints(env.db, c.id)).toEqual([]);

    await allowPrincipal(env.db, { workspaceId: c.workspaceId, serviceName: service, principalArn: role });
    await applyEvent(env.db, env.w.erin, { caseId: c.id, event: 'retry', version: failed.version });
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    expect((await listSandboxVpcEndpoints(env.db, c.id)).map((e) => e.requesterArn)).toEqual([role]);
    await close(c.id);
  });

  it('names the service when its owner deleted it', async () => {
    const c = await fresh('rds_postgres');
    const service = String(c.inputs.endpointServiceName);
    await setEndpointService(env.db, service, { removed: true });
    const { c: failed } = await drive(env.deps, c.id, ['failed', 'active']);
    expect(failed.lastError).toContain(`The endpoint service ${service} does not exist in us-east-1`);
    await close(c.id);
  });

  it('names the AZ IDs of both sides when they share none', async () => {
    const c = await fresh('rds_postgres', { azIds: ['use1-az4', 'use1-az6'] });
    const service = String(c.inputs.endpointServiceName);
    const { c: failed } = await drive(env.deps, c.id, ['failed', 'active']);
    expect(failed.lastError).toBe(
      `No Availability Zone in common: endpoint service ${service} is in use1-az4, use1-az6, and the edge VPC vpc-0e19a7c5d3b1f2e4a has subnets in use1-az1, use1-az2, use1-az3 (AZ IDs). Ask the customer to enable their load balancer in one of the edge's zones, or an engineer to add an edge subnet in one of the service's, then retry.`,
    );
    await close(c.id);
  });

  it('fails a Redshift case whose cluster access was not granted, with the command that grants it', async () => {
    // The customer created the cluster but never authorized the edge account.
    const c = await fresh('redshift', { authorize: false });
    const [cluster, account] = [String(c.inputs.clusterIdentifier), String(c.inputs.awsAccountId)];
    const { c: failed } = await drive(env.deps, c.id, ['failed', 'active']);
    expect(failed.lastError).toBe(
      `Cluster access is missing: account ${account} has not granted cluster ${cluster} to the edge account 210987654321 in us-east-1. Ask the customer to run: aws redshift authorize-endpoint-access --cluster-identifier ${cluster} --account 210987654321 --vpc-ids vpc-0e19a7c5d3b1f2e4a --region us-east-1; then retry.`,
    );
    expect(await env.sandbox.describeRedshiftEndpoint('us-east-1', `plp-${c.id.replace(/-/g, '').slice(0, 20)}`)).toBeNull();
    await close(c.id);
  });

  it('fails when the service owner rejects the connection, and a retry replaces the rejected endpoint', async () => {
    const c = await fresh('rds_postgres', { acceptanceRequired: true });
    const service = String(c.inputs.endpointServiceName);
    const workspaceId = c.workspaceId;
    await drive(env.deps, c.id, ['awaiting_customer_action']);
    const [first] = await liveEndpoints(env.db, c.id);
    await answerConnection(env.db, { workspaceId, vpcEndpointId: first!.awsId!, answer: 'reject' });
    const { c: failed } = await drive(env.deps, c.id, ['failed']);
    expect(failed.lastError).toBe(
      `The owner of endpoint service ${service} rejected the connection from VPC endpoint ${first!.awsId} (state rejected): ask the customer to accept connections from the edge principal, then retry.`,
    );
    expect(await liveEndpoints(env.db, c.id)).toEqual([]);

    // The owner accepts the replacement this time.
    await applyEvent(env.db, env.w.erin, { caseId: c.id, event: 'retry', version: failed.version });
    await drive(env.deps, c.id, ['awaiting_customer_action', 'failed']);
    const [replacement] = await liveEndpoints(env.db, c.id);
    await answerConnection(env.db, { workspaceId, vpcEndpointId: replacement!.awsId!, answer: 'accept' });
    const { c: active } = await drive(env.deps, c.id, ['active', 'failed']);
    expect(active.state).toBe('active');
    const [second] = await liveEndpoints(env.db, c.id);
    expect(second!.awsId).not.toBe(first!.awsId);
    const inSandbox = await listSandboxVpcEndpoints(env.db, c.id);
    expect(inSandbox.map((e) => [e.id, e.state])).toEqual([
      [first!.awsId, 'deleted'],
      [second!.awsId, 'available'],
    ]);
    expect(inSandbox[0]!.clientToken).not.toBe(inSandbox[1]!.clientToken);
    await close(c.id);
  });
});
