import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/index';
import { cases } from '@/db/schema';
import { claimsOf, conflictsOf, customerConflictMessage, fillUnknownClaims, staffConflictMessage } from '@/lib/cases/claims';
import { applyEvent } from '@/lib/cases/service';
import { createTestDatabase } from './support/db';
import { caseIn, seedWorld, type World } from './support/world';

let h: DatabaseHandle;
let w: World;

beforeEach(async () => {
  await h?.close();
  h = await createTestDatabase({ real: false });
  w = await seedWorld(h.db);
});
afterAll(async () => {
  await h?.close();
});

// The names the fixture's Snowflake configuration carries, written out by hand (test/support/fixtures.ts).
const FIXTURE_HOSTS = [
  'myorg-acme.privatelink.snowflakecomputing.com',
  'xy12345.us-east-1.privatelink.snowflakecomputing.com',
  'ocsp.xy12345.us-east-1.privatelink.snowflakecomputing.com',
];

const load = async (id: string) => (await h.db.select().from(cases).where(eq(cases.id, id)))[0]!;

describe('names have one owner', () => {
  it('reads the claimed names of each flow, normalised', () => {
    expect(
      claimsOf({ warehouse: 'rds_postgres', inputs: { endpointServiceName: 'COM.amazonaws.vpce.us-east-1.vpce-svc-0A1B2C3D4E5F60718' } }),
    ).toEqual([{ kind: 'endpoint_service', value: 'com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718' }]);
    expect(claimsOf({ warehouse: 'redshift', inputs: { clusterIdentifier: 'Analytics-Prod', awsAccountId: '1234-5678-9012' } })).toEqual([
      { kind: 'redshift_cluster', value: '123456789012/analytics-prod' },
    ]);
    expect(claimsOf({ warehouse: 'databricks', inputs: { workspaceUrl: 'https://DBC-A1.cloud.databricks.com/?o=1' } })).toEqual([
      { kind: 'host', value: 'dbc-a1.cloud.databricks.com' },
    ]);
    expect(claimsOf({ warehouse: 'databricks', inputs: {} })).toEqual([]);
  });

  it("shows staff both cases when another workspace's live case claims the same Snowflake hosts, and tells the customer nothing of it", async () => {
    const squatter = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.ada);
    const owner = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.grace);
    const seen = await conflictsOf(h.db, await load(owner.id));
    expect(seen.map((x) => [x.caseId, x.claim.value]).sort()).toEqual(FIXTURE_HOSTS.map((n) => [squatter.id, n]).sort());
    const staff = staffConflictMessage(seen)!;
    expect(staff).toContain(`PL-${squatter.number}`);
    expect(staff).toContain('Acme');
    const customer = customerConflictMessage(seen)!;
    expect(customer).toMatch(/already connected from another account/);
    expect(customer).not.toContain(`PL-${squatter.number}`);
    expect(customer).not.toContain(String(squatter.number));
    expect(customer).not.toContain('Acme');
    expect(customer).not.toContain(squatter.id);
    // Staff of the squatter's case see the owner's later claim too, but it never holds the earlier case back, and its
    // customer is not told of it.
    const later = await conflictsOf(h.db, await load(squatter.id));
    expect(later.every((x) => !x.first)).toBe(true);
    expect(customerConflictMessage(later)).toBeNull();
    expect(staffConflictMessage(later)).toContain('also claimed, later, by');
    expect((await conflictsOf(h.db, await load(squatter.id))).map((x) => x.caseId)).toEqual([owner.id, owner.id, owner.id]);
  });

  it('never lets a claim that failed its checks, or a case that ended, block the rightful owner', async () => {
    const squatter = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.ada);
    const owner = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.grace);
    await h.db
      .update(cases)
      .set({
        preflight: {
          at: new Date().toISOString(),
          trigger: 'check',
          checks: [{ id: 'x', label: 'x', status: 'failed', detail: 'x', stepId: 'x' }],
        },
      })
      .where(eq(cases.id, squatter.id));
    expect(await conflictsOf(h.db, await load(owner.id))).toEqual([]);

    await h.db.update(cases).set({ preflight: null }).where(eq(cases.id, squatter.id));
    expect(await conflictsOf(h.db, await load(owner.id))).toHaveLength(3);
    await applyEvent(h.db, w.casey, {
      caseId: squatter.id,
      event: 'reject',
      version: squatter.version,
      note: 'Not your Snowflake account.',
    });
    expect(await conflictsOf(h.db, await load(owner.id))).toEqual([]);
  });

  it('does not count the same workspace, another region or another cluster as a conflict', async () => {
    const first = await caseIn(h.db, w, 'redshift', 'ready_to_provision', w.ada);
    const second = await caseIn(h.db, w, 'redshift', 'submitted', w.ada);
    await h.db
      .update(cases)
      .set({ inputs: { ...(await load(second.id)).inputs, clusterIdentifier: 'analytics-prod', awsAccountId: '123456789012' } })
      .where(eq(cases.id, second.id));
    expect(await conflictsOf(h.db, await load(second.id))).toEqual([]);
    const other = await caseIn(h.db, w, 'redshift', 'ready_to_provision', w.grace);
    expect((await conflictsOf(h.db, await load(other.id))).map((x) => x.caseId).sort()).toEqual([first.id, second.id].sort());
    await h.db
      .update(cases)
      .set({ inputs: { ...(await load(other.id)).inputs, clusterIdentifier: 'analytics-dev' } })
      .where(eq(cases.id, other.id));
    expect(await conflictsOf(h.db, await load(other.id))).toEqual([]);
  });

  it('stores the claimed names with the inputs, forgets them when inputs change by hand, and finds owners through them', async () => {
    const owner = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.grace);
    const saved = await load(owner.id);
    // Written by the service beside the inputs, stamped with the version they were computed at.
    expect([...(saved.claims ?? [])].sort()).toEqual(FIXTURE_HOSTS.map((n) => `host:${n}`).sort());
    expect(saved.claimsVersion).not.toBeNull();

    const squatter = await caseIn(h.db, w, 'snowflake', 'ready_to_provision', w.ada);
    // An UPDATE that changes the inputs without a new stamp leaves the claims unknown, never stale…
    await h.db
      .update(cases)
      .set({ inputs: { ...(await load(squatter.id)).inputs, note: 'edited by hand' } })
      .where(eq(cases.id, squatter.id));
    const edited = await load(squatter.id);
    expect(edited.claims).toBeNull();
    expect(edited.claimsVersion).toBeNull();
    // …and a case with unknown claims is still checked from its inputs.
    expect((await conflictsOf(h.db, saved)).map((x) => x.caseId)).toEqual([squatter.id, squatter.id, squatter.id]);

    // Known claims are trusted for finding candidates: a case stamped as claiming other names is not read.
    await h.db
      .update(cases)
      .set({ claims: ['host:somewhere-else.example'], claimsVersion: edited.version })
      .where(eq(cases.id, squatter.id));
    expect(await conflictsOf(h.db, saved)).toEqual([]);

    // A reconciler's start fills in claims that are not known, from the inputs as they are.
    await h.db.update(cases).set({ claims: null, claimsVersion: null }).where(eq(cases.id, squatter.id));
    expect(await fillUnknownClaims(h.db, 1)).toBeGreaterThanOrEqual(1);
    const filled = await load(squatter.id);
    expect([...(filled.claims ?? [])].sort()).toEqual(FIXTURE_HOSTS.map((n) => `host:${n}`).sort());
    expect(filled.claimsVersion).toBe(filled.version);
    expect(await fillUnknownClaims(h.db)).toBe(0);
    expect((await conflictsOf(h.db, saved)).map((x) => x.caseId)).toEqual([squatter.id, squatter.id, squatter.id]);
  });
});
