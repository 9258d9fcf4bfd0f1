import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { EdgeError } from '@/lib/cloud/errors';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import { clearFaults, injectFault } from '@/lib/cloud/sandbox-controls';
import {
  allowPrincipal,
  answerConnection,
  createNlbService,
  registerDatabricksEndpoint,
  setServiceAzs,
} from '@/lib/cloud/sandbox-customer';
import { sandboxDailyBytes } from '@/lib/cloud/sandbox-shapes';
import type { WorkspacePrincipal } from '@/lib/cloud/types';
import { GIB } from '@/lib/domain/units';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { createTestDatabase } from '../support/db';
import { caseIn, seedWorld, type World } from '../support/world';

const DATABRICKS = 'com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04';
const CASE = '6b7f0d1e-2c3a-4b5c-8d9e-0f1a2b3c4d5e';

let h: DatabaseHandle;
let w: World;
let t = Date.parse('2031-03-10T12:00:00Z');
const clock = () => new Date(t);
let edge: SandboxEdge;
let acme: WorkspacePrincipal;
/** Acme's own endpoint service, allowing Acme's role, in use1-az1 and use1-az2, acceptance required. */
let SERVICE: string;

beforeAll(async () => {
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
  edge = new SandboxEdge(h.db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 3_000, clock });
  acme = await edge.ensureWorkspacePrincipal(w.acme);
  SERVICE = (
    await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', azIds: ['use1-az1', 'use1-az2'], acceptanceRequired: true })
  ).serviceName;
  await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: SERVICE, principalArn: acme.arn });
});
afterAll(async () => {
  await h?.close();
});

const request = (token: string, serviceName = DATABRICKS, azIds = ['use1-az1', 'use1-az2']) => ({
  region: 'us-east-1',
  caseId: CASE,
  as: acme,
  serviceName,
  azIds,
  clientToken: token,
});

describe('the sandbox edge account behaves like AWS', () => {
  it('makes realistic IDs and DNS names, pendingAcceptance until the customer registers it in Databricks, then pending → available', async () => {
    const c = await caseIn(h.db, w, 'databricks', 'provisioning');
    const ep = await edge.createVpcEndpoint({ ...request('tok-1'), caseId: c.id });
    expect(ep.id).toMatch(/^vpce-0[0-9a-f]{16}$/);
    expect(ep.dnsName).toMatch(new RegExp(`^${ep.id}-[a-z0-9]{8}\\.vpce-svc-09143d1e626de2f04\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
    expect(ep.state).toBe('pendingAcceptance');
    expect(ep.tags['portal:case-id']).toBe(c.id);
    // Not registered by the customer: Databricks does not accept, however long it waits.
    t += 3_600_000;
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('pendingAcceptance');
    // Another workspace cannot register Acme's endpoint.
    await expect(registerDatabricksEndpoint(h.db, { workspaceId: w.globex, vpcEndpointId: ep.id })).rejects.toMatchObject({
      kind: 'not_found',
    });
    // The customer registers it: Databricks accepts at once, and AWS takes its 3 s to make it available.
    await registerDatabricksEndpoint(h.db, { workspaceId: w.acme, vpcEndpointId: ep.id }, { now: clock() });
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('pending');
    t += 3_000;
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('available');
    expect((await edge.findVpcEndpointsByCase('us-east-1', c.id)).map((e) => e.id)).toEqual([ep.id]);
  });

  it('answers the same ClientToken with the same endpoint, and refuses it for other parameters', async () => {
    const a = await edge.createVpcEndpoint(request('tok-2'));
    const b = await edge.createVpcEndpoint(request('tok-2'));
    expect(b.id).toBe(a.id);
    await expect(edge.createVpcEndpoint(request('tok-2', SERVICE))).rejects.toMatchObject({
      code: 'invalid_request',
      awsCode: 'IdempotentParameterMismatch',
    });
  });

  it("shows a customer's service to the role it allows, with its AZ IDs and acceptance", async () => {
    const service = await edge.describeEndpointService('us-east-1', SERVICE, acme);
    expect(service).toEqual({ serviceName: SERVICE, azIds: ['use1-az1', 'use1-az2'], acceptanceRequired: true });
  });

  it('refuses a subnet in an AZ the service does not offer, in AWS words', async () => {
    await setServiceAzs(h.db, { workspaceId: w.acme, serviceName: SERVICE, azIds: ['use1-az2'] });
    const err = await edge.createVpcEndpoint(request('tok-3', SERVICE, ['use1-az1'])).catch((e) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect(err).toMatchObject({ code: 'az_mismatch', awsCode: 'InvalidParameter' });
    await setServiceAzs(h.db, { workspaceId: w.acme, serviceName: SERVICE, azIds: ['use1-az1', 'use1-az2'] });
  });

  it('lets the service owner reject a connection, and only the owner', async () => {
    const ep = await edge.createVpcEndpoint(request('tok-4', SERVICE));
    t += 60_000;
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('pendingAcceptance');
    await expect(answerConnection(h.db, { workspaceId: w.globex, vpcEndpointId: ep.id, answer: 'accept' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await answerConnection(h.db, { workspaceId: w.acme, vpcEndpointId: ep.id, answer: 'reject' }, { now: clock() });
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('rejected');
  });

  it('deletes in two steps: deleting, then deleted after the delay', async () => {
    const ep = await edge.createVpcEndpoint(request('tok-5'));
    await edge.deleteVpcEndpoint('us-east-1', ep.id);
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('deleting');
    t += 3_000;
    expect((await edge.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('deleted');
    await expect(edge.deleteVpcEndpoint('us-east-1', ep.id)).resolves.toBeUndefined();
  });

  it('fails the next calls with an injected fault, as many times as asked', async () => {
    await injectFault(h.db, { kind: 'throttling', operation: 'describeVpcEndpoint', times: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(edge.describeVpcEndpoint('us-east-1', 'vpce-00000000000000000')).rejects.toMatchObject({
        code: 'throttled',
        retryable: true,
        awsCode: 'RequestLimitExceeded',
      });
    }
    expect(await edge.describeVpcEndpoint('us-east-1', 'vpce-00000000000000000')).toBeNull();
    await injectFault(h.db, { kind: 'server_error' });
    await expect(edge.getDnsRecord('Z01SNOWFLAKEPL7Q2W', 'a.example', 'CNAME')).rejects.toMatchObject({ code: 'server_error' });
    await expect(edge.describeVpcEndpoint('us-east-1', 'vpce-00000000000000000')).rejects.toMatchObject({ code: 'server_error' });
    await clearFaults(h.db);
    await expect(edge.getDnsRecord('Z01SNOWFLAKEPL7Q2W', 'a.example', 'CNAME')).resolves.toBeNull();
  });

  it('fails a read with its fault before the read moves anything along, and takes only the faults of that operation', async () => {
    const open = (
      await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', azIds: ['use1-az1', 'use1-az2'], acceptanceRequired: false })
    ).serviceName;
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: open, principalArn: acme.arn });
    const caseId = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a';
    const ep = await edge.createVpcEndpoint({ ...request('tok-carried', open), caseId });
    expect(ep.state).toBe('pending');
    t += 3_000; // AWS's time passed: the next read that gets through finds it available
    const one = async (query: SQL) => ((await h.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows[0];
    const stored = async () => (await one(sql`select state from edge_sandbox.vpc_endpoints where id = ${ep.id}`))?.state;
    const remaining = async (operation: string) =>
      (await one(sql`select remaining from edge_sandbox.faults where operation = ${operation}`))?.remaining;

    await injectFault(h.db, { kind: 'quota', operation: 'createVpcEndpoint', times: 1 });
    await injectFault(h.db, { kind: 'not_authorized', operation: 'describeVpcEndpoint', times: 1 });
    await injectFault(h.db, { kind: 'throttling', operation: 'findVpcEndpointsByCase', times: 1 });
    await expect(edge.describeVpcEndpoint('us-east-1', ep.id)).rejects.toMatchObject({ awsCode: 'UnauthorizedOperation' });
    await expect(edge.findVpcEndpointsByCase('us-east-1', caseId)).rejects.toMatchObject({ awsCode: 'RequestLimitExceeded' });
    expect(await stored()).toBe('pending');
    expect(await remaining('describeVpcEndpoint')).toBe(0);
    expect(await remaining('createVpcEndpoint')).toBe(1);

    expect(await edge.findVpcEndpointsByCase('us-east-1', caseId)).toEqual([expect.objectContaining({ id: ep.id, state: 'available' })]);
    expect(await stored()).toBe('available');
    expect(await edge.findVpcEndpointsByCase('us-east-1', '1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9')).toEqual([]);
    expect(await remaining('createVpcEndpoint')).toBe(1);

    const { changeIds } = await edge.upsertDnsRecords([
      { hostedZoneId: 'Z01SNOWFLAKEPL7Q2W', name: 'carried.example', type: 'CNAME', value: ep.dnsName ?? 'x', ttl: 300 },
    ]);
    await injectFault(h.db, { kind: 'server_error', operation: 'getDnsChange', times: 2 });
    await expect(edge.getDnsChangeStatus(changeIds[0] as string)).rejects.toMatchObject({ code: 'server_error' });
    await expect(edge.getDnsChangeStatus('CNOSUCHCHANGE0')).rejects.toMatchObject({ code: 'server_error' });
    expect(await edge.getDnsChangeStatus(changeIds[0] as string)).toBe('PENDING');
    await expect(edge.getDnsChangeStatus('CNOSUCHCHANGE0')).rejects.toMatchObject({ awsCode: 'NoSuchChange' });

    // Databricks' own service in a region nobody asked about yet: its row is written only by a call that got through.
    const databricks = DEFAULT_FLOW_CONFIG.databricksWorkspaceServices['us-west-2'] as string;
    const services = async () =>
      (await one(sql`select count(*)::int as n from edge_sandbox.endpoint_services where service_name = ${databricks}`))?.n;
    expect(await services()).toBe(0);
    await injectFault(h.db, { kind: 'timeout', operation: 'describeEndpointService', times: 2 });
    await expect(edge.describeEndpointService('us-west-2', databricks, acme)).rejects.toMatchObject({ code: 'timeout' });
    await expect(edge.describeEndpointService('us-west-2', 'com.amazonaws.vpce.us-west-2.vpce-svc-0nosuch', acme)).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(await services()).toBe(0);
    expect(await edge.describeEndpointService('us-west-2', databricks, acme)).toMatchObject({ acceptanceRequired: true });
    expect(await services()).toBe(1);
    await injectFault(h.db, { kind: 'server_error', operation: 'describeRedshiftEndpoint', times: 1 });
    await expect(edge.describeRedshiftEndpoint('us-east-1', 'no-such-endpoint')).rejects.toMatchObject({ code: 'server_error' });
    expect(await edge.describeRedshiftEndpoint('us-east-1', 'no-such-endpoint')).toBeNull();
    expect(await remaining('createVpcEndpoint')).toBe(1);
    // A create reads its client token first, carrying the check: the fault wins, then the same token finds the same endpoint.
    await expect(edge.createVpcEndpoint({ ...request('tok-carried', open), caseId })).rejects.toMatchObject({
      awsCode: 'VpcEndpointLimitExceeded',
    });
    expect(await edge.createVpcEndpoint({ ...request('tok-carried', open), caseId })).toMatchObject({ id: ep.id, state: 'available' });
    expect(await remaining('createVpcEndpoint')).toBe(0);
    await clearFaults(h.db);
  });

  it('refuses records in a hosted zone the edge account does not have', async () => {
    await expect(
      edge.upsertDnsRecords([{ hostedZoneId: 'ZNOTOURS', name: 'a.example', type: 'CNAME', value: 'b', ttl: 300 }]),
    ).rejects.toMatchObject({ awsCode: 'NoSuchHostedZone' });
  });
});

describe('sandbox traffic', () => {
  it('is repeatable, proportional to the hours the endpoint existed, and plausible', () => {
    const from = new Date('2031-03-01T18:00:00Z');
    const until = new Date('2031-03-03T06:00:00Z');
    const day1 = sandboxDailyBytes('vpce-0a', '2031-03-01', from, until, null);
    expect(sandboxDailyBytes('vpce-0a', '2031-03-01', from, until, null)).toBe(day1);
    expect(sandboxDailyBytes('vpce-0a', '2031-03-02', from, until, 8)).toBe(8 * GIB);
    expect(sandboxDailyBytes('vpce-0a', '2031-03-03', from, until, 8)).toBe(2 * GIB);
    expect(sandboxDailyBytes('vpce-0a', '2031-03-04', from, until, 8)).toBe(0);
    expect(day1).toBeGreaterThan(0);
    expect(day1).toBeLessThan(0.75 * GIB);
  });
});
