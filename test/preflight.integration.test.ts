import { and, eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { auditLog, cases, workspaces } from '@/db/schema';
import { applyEvent, CaseError, createDraft } from '@/lib/cases/service';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import {
  allowPrincipal,
  authorizeRedshift,
  createNlbService,
  createRedshiftCluster,
  snowflakeSupportAuthorize,
} from '@/lib/cloud/sandbox-customer';
import { actOnCase, type PreflightDeps, preflightOf, runPreflight } from '@/lib/preflight';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { createTestDatabase } from './support/db';
import { VALID_INPUTS } from './support/fixtures';
import { fillPhase, type Person, seedWorld, type World } from './support/world';
import type { Warehouse } from '@/lib/domain/warehouses';

let h: DatabaseHandle;
let w: World;
let deps: PreflightDeps;

beforeEach(async () => {
  await h?.close();
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
  deps = {
    adapter: new SandboxEdge(h.db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, delayMs: 0 }),
    layout: SANDBOX_EDGE_LAYOUT,
    flows: DEFAULT_FLOW_CONFIG,
  };
});
afterAll(async () => {
  await h?.close();
});

// Written out by hand: the edge account of the sandbox layout and the role name rule of docs/design.md.
const EDGE = '210987654321';
const roleOf = (workspaceId: string) => `arn:aws:iam::${EDGE}:role/plp-ws-${workspaceId}`;
const RDS_SERVICE = VALID_INPUTS.rds_postgres.draft!.endpointServiceName as string;
const SNOWFLAKE_SERVICE = (JSON.parse(VALID_INPUTS.snowflake.details!.privatelinkConfig as string) as Record<string, string>)[
  'privatelink-vpce-id'
]!;

async function refusal(p: Promise<unknown>): Promise<CaseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CaseError) return e;
    throw e;
  }
  throw new Error('expected a CaseError');
}

/** A case accepted by the CSM with the customer's details typed in, not sent yet. */
async function detailsTyped(warehouse: Warehouse, who: Person = w.ada) {
  const c = await createDraft(h.db, who, { warehouse, region: 'us-east-1' });
  let v = await fillPhase(h.db, who, c.id, c.version, warehouse, 'draft');
  const submitted = await actOnCase(h.db, deps, who, { caseId: c.id, event: 'submit', version: v });
  const accepted = await actOnCase(h.db, deps, w.casey, { caseId: c.id, event: 'accept', version: submitted.version });
  v = await fillPhase(h.db, who, c.id, accepted.version, warehouse, 'details');
  return { id: c.id, version: v };
}

const stateOf = async (id: string) => (await h.db.select().from(cases).where(eq(cases.id, id)))[0]!;

describe('RDS Postgres: the service must allow this workspace’s own role', () => {
  it('refuses the details with the fix while the service hides from the role, then requests provisioning itself once allowed', async () => {
    await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', acceptanceRequired: true, serviceName: RDS_SERVICE });
    const c = await detailsTyped('rds_postgres');

    const e = await refusal(actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'provide_details', version: c.version }));
    expect(e.reason).toBe('guard_failed');
    expect(e.message).toContain(`is not visible to ${roleOf(w.acme)}`);
    const stored = preflightOf(await stateOf(c.id))!;
    expect(stored.checks.find((k) => k.id === 'rds.service_visible')).toMatchObject({
      status: 'failed',
      command: `aws ec2 modify-vpc-endpoint-service-permissions --region us-east-1 --service-id ${RDS_SERVICE.split('.').at(-1)} --add-allowed-principals ${roleOf(w.acme)}`,
    });
    expect((await stateOf(c.id)).state).toBe('awaiting_customer');

    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: RDS_SERVICE, principalArn: roleOf(w.acme) });
    const sent = await actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'provide_details', version: c.version });
    // Every check passed: the portal requested provisioning, so any engineer may approve.
    expect(sent).toMatchObject({ state: 'pending_approval', requestedBy: null });
    const checks = preflightOf(sent)!.checks;
    expect(checks.map((k) => [k.id, k.status])).toEqual(
      expect.arrayContaining([
        ['rds.service_visible', 'passed'],
        ['rds.shared_az', 'passed'],
        ['rds.acceptance', 'passed'],
      ]),
    );
    expect(checks.find((k) => k.id === 'rds.acceptance')?.detail).toMatch(/requires acceptance/);
    const [requested] = await h.db
      .select({ role: auditLog.actorRole })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.auto_request_provisioning')));
    expect(requested).toEqual({ role: 'reconciler' });
    const approved = await actOnCase(h.db, deps, w.erin, { caseId: c.id, event: 'approve', version: sent.version });
    expect(approved.state).toBe('provisioning');
  });

  it("never shows one workspace another's service: naming it fails as an unknown service would, with no owner named", async () => {
    await createNlbService(h.db, { workspaceId: w.globex, region: 'us-east-1', acceptanceRequired: false, serviceName: RDS_SERVICE });
    await allowPrincipal(h.db, { workspaceId: w.globex, serviceName: RDS_SERVICE, principalArn: roleOf(w.globex) });
    const squat = await detailsTyped('rds_postgres', w.ada);
    const e = await refusal(actOnCase(h.db, deps, w.ada, { caseId: squat.id, event: 'provide_details', version: squat.version }));
    expect(e.message).toContain(roleOf(w.acme));
    expect(e.message).not.toContain(w.globex);
    expect(e.message).not.toMatch(/Globex/i);
    // The owner's own case passes.
    const own = await detailsTyped('rds_postgres', w.grace);
    expect((await actOnCase(h.db, deps, w.grace, { caseId: own.id, event: 'provide_details', version: own.version })).state).toBe(
      'pending_approval',
    );
  });

  it('leaves the request to a CSM when the workspace turned the portal’s request off', async () => {
    await h.db.update(workspaces).set({ autoRequestProvisioning: false }).where(eq(workspaces.id, w.acme));
    await createNlbService(h.db, { workspaceId: w.acme, region: 'us-east-1', acceptanceRequired: false, serviceName: RDS_SERVICE });
    await allowPrincipal(h.db, { workspaceId: w.acme, serviceName: RDS_SERVICE, principalArn: roleOf(w.acme) });
    const c = await detailsTyped('rds_postgres');
    expect((await actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'provide_details', version: c.version })).state).toBe(
      'ready_to_provision',
    );
  });
});

describe('Redshift: the grant as the edge account sees it', () => {
  it('refuses the details with the authorize command until the cluster owner authorized the edge account and VPC', async () => {
    const c = await detailsTyped('redshift', w.grace);
    const e = await refusal(actOnCase(h.db, deps, w.grace, { caseId: c.id, event: 'provide_details', version: c.version }));
    expect(e.message).toContain('has not authorized the edge account 210987654321 on cluster analytics-prod');
    expect(preflightOf(await stateOf(c.id))!.checks[0]).toMatchObject({
      id: 'redshift.authorized',
      status: 'failed',
      command: `aws redshift authorize-endpoint-access --region us-east-1 --cluster-identifier analytics-prod --account ${EDGE} --vpc-ids ${SANDBOX_EDGE_LAYOUT.regions['us-east-1']!.vpcId}`,
    });

    const cluster = {
      workspaceId: w.globex,
      region: 'us-east-1',
      account: '123456789012',
      clusterIdentifier: 'analytics-prod',
    };
    await createRedshiftCluster(h.db, { ...cluster, nodeType: 'ra3.xlplus', relocationEnabled: true, port: 5439 });
    await authorizeRedshift(h.db, { ...cluster, vpcIds: ['vpc-0123456789abcdef0'] });
    const wrongVpc = await refusal(actOnCase(h.db, deps, w.grace, { caseId: c.id, event: 'provide_details', version: c.version }));
    expect(wrongVpc.message).toContain('not the edge VPC');

    await authorizeRedshift(h.db, { ...cluster, allVpcs: true });
    expect((await actOnCase(h.db, deps, w.grace, { caseId: c.id, event: 'provide_details', version: c.version })).state).toBe(
      'pending_approval',
    );
  });
});

describe('Snowflake: support’s authorization, seen from the edge', () => {
  it('says Snowflake support has not authorized us yet, with the support-case text, until it has', async () => {
    const c = await detailsTyped('snowflake');
    const e = await refusal(actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'provide_details', version: c.version }));
    expect(e.message).toContain('Snowflake support has not authorized us yet');
    expect(preflightOf(await stateOf(c.id))!.checks[0]!.command).toContain(`third-party vendor AWS account ${EDGE}`);
    await snowflakeSupportAuthorize(h.db, { workspaceId: w.acme, region: 'us-east-1', privatelinkVpceId: SNOWFLAKE_SERVICE });
    expect((await actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'provide_details', version: c.version })).state).toBe(
      'pending_approval',
    );
  });
});

describe('Databricks: nothing to give after acceptance', () => {
  it('moves past the details and requests provisioning when the CSM accepts', async () => {
    const c = await createDraft(h.db, w.ada, { warehouse: 'databricks', region: 'us-east-1' });
    const v = await fillPhase(h.db, w.ada, c.id, c.version, 'databricks', 'draft');
    const submitted = await actOnCase(h.db, deps, w.ada, { caseId: c.id, event: 'submit', version: v });
    expect(preflightOf(submitted)?.trigger).toBe('submit');
    const accepted = await actOnCase(h.db, deps, w.casey, { caseId: c.id, event: 'accept', version: submitted.version });
    expect(accepted.state).toBe('pending_approval');
    expect(preflightOf(accepted)!.checks).toEqual([expect.objectContaining({ id: 'databricks.service', status: 'passed' })]);
  });
});

describe('approval waits for a name another workspace claims', () => {
  it('refuses the approval, naming the other case for staff, and runs the check on request without changing the version', async () => {
    await snowflakeSupportAuthorize(h.db, { workspaceId: w.acme, region: 'us-east-1', privatelinkVpceId: SNOWFLAKE_SERVICE });
    await h.db.update(workspaces).set({ autoRequestProvisioning: false });
    const first = await detailsTyped('snowflake', w.ada);
    const a = await actOnCase(h.db, deps, w.ada, { caseId: first.id, event: 'provide_details', version: first.version });
    const second = await detailsTyped('snowflake', w.grace);
    const b = await actOnCase(h.db, deps, w.grace, { caseId: second.id, event: 'provide_details', version: second.version });
    const requested = await applyEvent(h.db, w.casey, { caseId: b.id, event: 'request_provisioning', version: b.version });
    const e = await refusal(actOnCase(h.db, deps, w.erin, { caseId: b.id, event: 'approve', version: requested.version }));
    expect(e.message).toContain(`PL-${a.number}`);
    expect((await stateOf(b.id)).state).toBe('pending_approval');

    const before = (await stateOf(b.id)).version;
    await runPreflight(h.db, deps, w.grace, b.id, 'check');
    expect((await stateOf(b.id)).version).toBe(before);
  });
});
