import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { sandboxIamRoles, sandboxVpcEndpoints } from '@/db/schema';
import type { EdgeError } from '@/lib/cloud/errors';
import { createEdgeAdapter } from '@/lib/cloud';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  removePrincipal,
  sandboxCustomerAccountId,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import type { WorkspacePrincipal } from '@/lib/cloud/types';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { createTestDatabase } from '../support/db';
import { VALID_INPUTS } from '../support/fixtures';
import { caseIn, seedWorld, type World } from '../support/world';

// The sandbox answers as AWS does for allowed principals (docs/facts.md#allowed-principals), refuses Redshift-managed
// endpoints AWS would refuse, and never does the customer's part by itself (docs/design.md#the-customers-side-of-the-sandbox).

const EDGE = SANDBOX_EDGE_LAYOUT.accountId;
const VPC = SANDBOX_EDGE_LAYOUT.regions['us-east-1']!.vpcId;
const DATABRICKS = DEFAULT_FLOW_CONFIG.databricksWorkspaceServices['us-east-1']!;
const SNOWFLAKE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788';
const HOUR = 3_600_000;

let h: DatabaseHandle;
let w: World;
let t = Date.parse('2031-05-04T09:00:00Z');
const clock = () => new Date(t);
let edge: SandboxEdge;
let a: WorkspacePrincipal;
let b: WorkspacePrincipal;
let token = 0;

beforeAll(async () => {
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
  edge = new SandboxEdge(h.db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 3_000, clock });
  a = await edge.ensureWorkspacePrincipal(w.acme);
  b = await edge.ensureWorkspacePrincipal(w.globex);
});
afterAll(async () => {
  await h?.close();
});

const create = (as: WorkspacePrincipal, serviceName: string, azIds = ['use1-az1', 'use1-az2']) =>
  edge.createVpcEndpoint({ region: 'us-east-1', caseId: `case-${as.workspaceId}`, as, serviceName, azIds, clientToken: `tok-${++token}` });

/** Acme's own NLB service in use1-az1/az2, allowing nobody yet. */
const acmeService = async (acceptanceRequired = true) =>
  (await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', azIds: ['use1-az1', 'use1-az2'], acceptanceRequired }))
    .serviceName;

async function refusal(p: Promise<unknown>): Promise<EdgeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call should have been refused').not.toBeNull();
  return err as EdgeError;
}

describe('a workspace principal', () => {
  it('is a tagged role in the edge account, made once however often it is asked for', async () => {
    expect(a).toEqual({ workspaceId: w.acme, roleName: `plp-ws-${w.acme}`, arn: `arn:aws:iam::${EDGE}:role/plp-ws-${w.acme}` });
    expect(await edge.ensureWorkspacePrincipal(w.acme)).toEqual(a);
    const roles = await h.db.select().from(sandboxIamRoles).where(eq(sandboxIamRoles.name, a.roleName));
    expect(roles).toEqual([expect.objectContaining({ arn: a.arn, tags: { 'portal:workspace-id': w.acme } })]);
  });
});

describe('allowed principals, as EC2 applies them', () => {
  it("answers another workspace exactly as for a service that does not exist, without naming the owner; works for the owner's role once allowed", async () => {
    const service = await acmeService();
    const unknown = 'com.amazonaws.vpce.us-east-1.vpce-svc-0ffffffffffffffff';
    // Nobody is allowed yet: not even Acme's own role sees it.
    for (const as of [a, b]) {
      const err = await refusal(edge.describeEndpointService('us-east-1', service, as));
      expect(err).toMatchObject({ code: 'unknown_service', awsCode: 'InvalidServiceName' });
      expect(err.message).toContain(`(AWS said: InvalidServiceName: The Vpc Endpoint Service '${service}' does not exist)`);
    }
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: service, principalArn: a.arn });

    // Globex's role: describe and create both answer exactly as for a name nobody created.
    const described = await refusal(edge.describeEndpointService('us-east-1', service, b));
    const missing = await refusal(edge.describeEndpointService('us-east-1', unknown, b));
    expect(described.message).toBe(missing.message.replaceAll(unknown, service));
    const created = await refusal(create(b, service));
    expect(created).toMatchObject({ code: 'unknown_service', awsCode: 'InvalidServiceName' });
    expect(created.message).toContain(`(AWS said: InvalidServiceName: The Vpc Endpoint Service '${service}' does not exist)`);
    for (const err of [described, created]) {
      for (const hint of [w.acme, a.arn, sandboxCustomerAccountId(w.acme), 'Acme', 'owner']) expect(err.message).not.toContain(hint);
      // The fix names the caller's own role, never the edge account as a whole.
      expect(err.message).toContain(`does not list this workspace's role ${b.arn} as an allowed principal`);
    }
    expect(await h.db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.serviceName, service))).toEqual([]);

    // Acme's role, now allowed: sees the service and connects, and the endpoint records who asked.
    expect(await edge.describeEndpointService('us-east-1', service, a)).toEqual({
      serviceName: service,
      azIds: ['use1-az1', 'use1-az2'],
      acceptanceRequired: true,
    });
    const ep = await create(a, service);
    expect(ep.state).toBe('pendingAcceptance');
    const [row] = await h.db.select().from(sandboxVpcEndpoints).where(eq(sandboxVpcEndpoints.id, ep.id));
    expect(row!.requesterArn).toBe(a.arn);

    // Removing the role hides the service again.
    await removePrincipal(h.db, { workspaceId: w.acme, serviceName: service, principalArn: a.arn });
    expect(await refusal(edge.describeEndpointService('us-east-1', service, a))).toMatchObject({ code: 'unknown_service' });
  });

  it("lets only the owner change a service's principals, and refuses a principal ARN AWS would refuse", async () => {
    const service = await acmeService();
    await expect(allowPrincipal(h.db, { workspaceId: w.globex, serviceName: service, principalArn: b.arn })).rejects.toMatchObject({
      kind: 'not_found',
      message: `Your sandbox AWS account has no endpoint service ${service}: create it first, or check the name.`,
    });
    expect(await refusal(edge.describeEndpointService('us-east-1', service, b))).toMatchObject({ code: 'unknown_service' });
    // A principal with a path is not supported (docs/facts.md#allowed-principals).
    await expect(
      allowPrincipal(h.db, { workspaceId: w.acme, serviceName: service, principalArn: `arn:aws:iam::${EDGE}:role/team/plp` }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });

  it("an account's root allows every principal of that account, and only of that account; * allows everyone", async () => {
    const other = await acmeService(false);
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: other, principalArn: 'arn:aws:iam::123456789012:root' });
    for (const as of [a, b])
      expect(await refusal(edge.describeEndpointService('us-east-1', other, as))).toMatchObject({ code: 'unknown_service' });

    const rooted = await acmeService(false);
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: rooted, principalArn: `arn:aws:iam::${EDGE}:root` });
    for (const as of [a, b]) expect((await edge.describeEndpointService('us-east-1', rooted, as)).serviceName).toBe(rooted);

    const onlyB = await acmeService(false);
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: onlyB, principalArn: b.arn });
    expect(await refusal(edge.describeEndpointService('us-east-1', onlyB, a))).toMatchObject({ code: 'unknown_service' });
    expect((await create(b, onlyB)).state).toBe('pending');

    const open = await acmeService(false);
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: open, principalArn: '*' });
    for (const as of [a, b]) expect((await edge.describeEndpointService('us-east-1', open, as)).serviceName).toBe(open);
  });

  it("shows a Databricks workspace service to every role (Databricks' own, allowing *)", async () => {
    for (const as of [a, b]) {
      const s = await edge.describeEndpointService('us-east-1', DATABRICKS, as);
      expect(s).toMatchObject({ serviceName: DATABRICKS, acceptanceRequired: true });
      expect(s.azIds).toEqual(['use1-az1', 'use1-az2', 'use1-az3', 'use1-az4', 'use1-az5', 'use1-az6']);
    }
  });

  it("hides Snowflake's service until Snowflake support authorizes the edge account, which then connects without acceptance", async () => {
    // A case whose answers claim support authorized us changes nothing: only support's act does.
    await caseIn(h.db, w, 'snowflake', 'ready_to_provision');
    expect(await refusal(edge.describeEndpointService('us-east-1', SNOWFLAKE, a))).toMatchObject({ code: 'unknown_service' });
    await snowflakeSupportAuthorize(h.db, { workspaceId: w.acme, region: 'us-east-1', privatelinkVpceId: SNOWFLAKE });
    const s = await edge.describeEndpointService('us-east-1', SNOWFLAKE, a);
    expect(s).toMatchObject({ acceptanceRequired: false });
    expect(s.azIds).toHaveLength(6);
    expect((await create(a, SNOWFLAKE)).state).toBe('pending');
  });
});

describe('Redshift-managed endpoints refused as AWS refuses them', () => {
  const account = '444455556666';
  const endpoint = (clusterIdentifier: string, n: number) =>
    edge.createRedshiftEndpoint({
      region: 'us-east-1',
      caseId: 'c',
      endpointName: `plp-test-${n}`,
      clusterIdentifier,
      resourceOwner: account,
    });
  const cluster = async (clusterIdentifier: string, nodeType: string, relocationEnabled: boolean, authorize = true) => {
    const key = { workspaceId: w.acme, region: 'us-east-1', account, clusterIdentifier };
    await createRedshiftCluster(h.db, { ...key, nodeType, relocationEnabled, port: 5440 });
    if (authorize) await authorizeRedshift(h.db, { ...key, vpcIds: [VPC] });
  };

  it('refuses a cluster that does not exist', async () => {
    expect(await refusal(endpoint('nowhere', 1))).toMatchObject({ code: 'not_found', awsCode: 'ClusterNotFound' });
  });

  it('refuses a cluster not granted to the edge account, whatever a case claims', async () => {
    // The fixture's case says "access granted" for its cluster and account; the cluster exists, the grant does not.
    const claimed = VALID_INPUTS.redshift.details!;
    const [id, owner] = [String(claimed.clusterIdentifier), String(claimed.awsAccountId)];
    await caseIn(h.db, w, 'redshift', 'ready_to_provision');
    const key = { workspaceId: w.acme, region: 'us-east-1', account: owner, clusterIdentifier: id };
    await createRedshiftCluster(h.db, { ...key, nodeType: 'ra3.xlplus', relocationEnabled: true, port: 5439 });
    expect(await edge.describeRedshiftAuthorization('us-east-1', id, owner)).toBeNull();
    const err = await refusal(
      edge.createRedshiftEndpoint({
        region: 'us-east-1',
        caseId: 'c',
        endpointName: 'plp-test-2',
        clusterIdentifier: id,
        resourceOwner: owner,
      }),
    );
    expect(err).toMatchObject({ code: 'not_authorized', awsCode: 'EndpointAuthorizationNotFound' });
  });

  it('refuses a cluster that is not RA3', async () => {
    await cluster('old-nodes', 'dc2.large', true);
    const err = await refusal(endpoint('old-nodes', 3));
    expect(err).toMatchObject({ code: 'invalid_request', awsCode: 'UnsupportedOperation' });
    expect(err.message).toContain('RA3');
  });

  it('refuses a cluster with relocation off', async () => {
    await cluster('pinned', 'ra3.4xlarge', false);
    const err = await refusal(endpoint('pinned', 4));
    expect(err).toMatchObject({ code: 'invalid_request', awsCode: 'InvalidClusterState' });
    expect(err.message).toContain('relocation');
  });

  it('creates one for an RA3 cluster with relocation on, granted to the edge VPC, on the cluster port', async () => {
    await cluster('good-dw', 'ra3.xlplus', true);
    expect(await edge.describeRedshiftAuthorization('us-east-1', 'good-dw', account)).toMatchObject({
      grantee: EDGE,
      status: 'Authorized',
      allowedAllVpcs: false,
      allowedVpcs: [VPC],
    });
    const e = await endpoint('good-dw', 5);
    expect(e).toMatchObject({ status: 'creating', port: 5440 });
  });

  it("refuses to grant another workspace's cluster", async () => {
    await expect(
      authorizeRedshift(h.db, { workspaceId: w.globex, region: 'us-east-1', account, clusterIdentifier: 'good-dw', allVpcs: true }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('the customer side never acts by itself', () => {
  it('leaves connections pendingAcceptance for hours and days until the owner or Databricks acts', async () => {
    // Configured as a server is, even with the retired accept-delay variable still set: it no longer means anything.
    const configured = await createEdgeAdapter(h.db, { SANDBOX_DELAY_MS: '3000', SANDBOX_ACCEPT_DELAY_MS: '1000' }, { clock });
    const service = await acmeService(true);
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: service, principalArn: a.arn });
    const rds = await create(a, service);
    const databricks = await create(a, DATABRICKS, ['use1-az1']);
    for (const hours of [1, 6, 48]) {
      t += hours * HOUR;
      for (const ep of [rds, databricks])
        expect((await configured.describeVpcEndpoint('us-east-1', ep.id))?.state).toBe('pendingAcceptance');
    }
    expect((await edge.findVpcEndpointsByCase('us-east-1', `case-${w.acme}`)).map((e) => e.state)).toContain('pendingAcceptance');
  });
});
