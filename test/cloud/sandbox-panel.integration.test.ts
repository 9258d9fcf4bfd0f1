import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  sandboxAccountData,
  sandboxCustomerAccountId,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import type { WorkspacePrincipal } from '@/lib/cloud/types';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { createTestDatabase } from '../support/db';
import { seedWorld, type World } from '../support/world';

// The simulated console on a case page shows the case's own workspace's side of the sandbox, in the case's region:
// its services with their connections, its clusters with their grants, and what Snowflake and Databricks did for it.
// Each expectation below is what was set up by hand here, not what the code computes.

const CASE_ID = '3c2b1a09-8f7e-4d6c-9b5a-493827160504';
const SNOWFLAKE_VPCE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718';
const DATABRICKS = DEFAULT_FLOW_CONFIG.databricksWorkspaceServices['us-east-1'] as string;

let h: DatabaseHandle;
let w: World;
let edge: SandboxEdge;
let acme: WorkspacePrincipal;
let globex: WorkspacePrincipal;

beforeAll(async () => {
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
  edge = new SandboxEdge(h.db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 0 });
  acme = await edge.ensureWorkspacePrincipal(w.acme);
  globex = await edge.ensureWorkspacePrincipal(w.globex);
});
afterAll(async () => {
  await h?.close();
});

const caseOf = (warehouse: 'rds_postgres' | 'redshift' | 'snowflake' | 'databricks', more: { inputs?: object; outputs?: object } = {}) => ({
  id: CASE_ID,
  workspaceId: w.acme,
  warehouse,
  region: 'us-east-1',
  inputs: { ...more.inputs },
  outputs: { ...more.outputs },
});

describe('the sandbox console on a case page', () => {
  it("shows only the workspace's own services, connections, clusters and grants in the case's region", async () => {
    const azIds = ['use1-az1', 'use1-az2'];
    const mine = await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', azIds, acceptanceRequired: true });
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: mine.serviceName, principalArn: acme.arn });
    await createNlbService(h.db, { workspaceId: w.acme, region: 'us-west-2', acceptanceRequired: false });
    const theirs = await createNlbService(h.db, { workspaceId: w.globex, region: 'us-east-1', azIds, acceptanceRequired: true });
    await allowPrincipal(h.db, { workspaceId: w.globex, serviceName: theirs.serviceName, principalArn: globex.arn });
    const request = { region: 'us-east-1', caseId: CASE_ID, azIds };
    const first = await edge.createVpcEndpoint({ ...request, as: acme, serviceName: mine.serviceName, clientToken: 'panel-1' });
    const second = await edge.createVpcEndpoint({ ...request, as: acme, serviceName: mine.serviceName, clientToken: 'panel-2' });
    await edge.createVpcEndpoint({ ...request, as: globex, serviceName: theirs.serviceName, clientToken: 'panel-3' });

    const account = sandboxCustomerAccountId(w.acme);
    const cluster = { region: 'us-east-1', account, nodeType: 'ra3.xlplus', relocationEnabled: true, port: 5439 };
    await createRedshiftCluster(h.db, { workspaceId: w.acme, ...cluster, clusterIdentifier: 'granted-one' });
    await createRedshiftCluster(h.db, { workspaceId: w.acme, ...cluster, clusterIdentifier: 'not-granted', port: 5440 });
    await authorizeRedshift(h.db, {
      workspaceId: w.acme,
      region: 'us-east-1',
      account,
      clusterIdentifier: 'granted-one',
      vpcIds: [SANDBOX_EDGE_LAYOUT.regions['us-east-1']!.vpcId],
    });
    const globexAccount = sandboxCustomerAccountId(w.globex);
    await createRedshiftCluster(h.db, { workspaceId: w.globex, ...cluster, account: globexAccount, clusterIdentifier: 'granted-one' });
    await authorizeRedshift(h.db, {
      workspaceId: w.globex,
      region: 'us-east-1',
      account: globexAccount,
      clusterIdentifier: 'granted-one',
      allVpcs: true,
    });

    const view = await sandboxAccountData(
      h.db,
      caseOf('redshift', { inputs: { clusterIdentifier: 'granted-one', port: '5439' } }),
      undefined,
    );
    expect(view.accountId).toBe(account);
    expect(view.services).toEqual([
      {
        serviceName: mine.serviceName,
        azIds,
        acceptanceRequired: true,
        allowedPrincipals: [acme.arn],
        connections: [
          { id: first.id, state: 'pendingAcceptance', requesterArn: acme.arn },
          { id: second.id, state: 'pendingAcceptance', requesterArn: acme.arn },
        ],
      },
    ]);
    expect(view.clusters).toEqual([
      {
        clusterIdentifier: 'granted-one',
        account,
        nodeType: 'ra3.xlplus',
        relocationEnabled: true,
        port: 5439,
        grant: { allowedAllVpcs: false, vpcIds: [SANDBOX_EDGE_LAYOUT.regions['us-east-1']!.vpcId] },
      },
      { clusterIdentifier: 'not-granted', account, nodeType: 'ra3.xlplus', relocationEnabled: true, port: 5440, grant: null },
    ]);
    expect(view.prefill).toEqual({ clusterIdentifier: 'granted-one', port: 5439 });
    expect(view.snowflakeAuthorized).toBe(false);
    expect(view.databricksEndpointState).toBeNull();
  });

  it('says whether Snowflake support authorized the edge account, and the state of a Databricks endpoint only the workspace made', async () => {
    const snowflake = caseOf('snowflake', { inputs: { privatelinkConfig: { 'privatelink-vpce-id': SNOWFLAKE_VPCE.toUpperCase() } } });
    expect((await sandboxAccountData(h.db, snowflake, undefined)).snowflakeAuthorized).toBe(false);
    await snowflakeSupportAuthorize(h.db, { workspaceId: w.acme, region: 'us-east-1', privatelinkVpceId: SNOWFLAKE_VPCE });
    const after = await sandboxAccountData(h.db, snowflake, undefined);
    expect(after.snowflakeAuthorized).toBe(true);
    expect(after.prefill).toEqual({ privatelinkVpceId: SNOWFLAKE_VPCE.toUpperCase() });

    const request = { region: 'us-east-1', caseId: CASE_ID, serviceName: DATABRICKS, azIds: ['use1-az1', 'use1-az2'] };
    const ours = await edge.createVpcEndpoint({ ...request, as: acme, clientToken: 'panel-dbx-1' });
    const other = await edge.createVpcEndpoint({ ...request, as: globex, clientToken: 'panel-dbx-2' });
    const databricks = (vpcEndpointId: string) => caseOf('databricks', { outputs: { vpcEndpointId } });
    expect((await sandboxAccountData(h.db, databricks(ours.id), undefined)).databricksEndpointState).toBe('pendingAcceptance');
    expect((await sandboxAccountData(h.db, databricks(other.id), undefined)).databricksEndpointState).toBeNull();
    expect((await sandboxAccountData(h.db, databricks('vpce-0000000000000dead'), undefined)).databricksEndpointState).toBeNull();
    expect((await sandboxAccountData(h.db, caseOf('snowflake'), undefined)).snowflakeAuthorized).toBe(false);
  });
});
