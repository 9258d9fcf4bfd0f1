import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxDnsRecords, sandboxVpcEndpoints } from '@/db/schema';
import { sandboxConnectionTests } from '@/lib/cloud/sandbox-connection';
import { deleteDnsRecordOutOfBand, deleteVpcEndpointOutOfBand } from '@/lib/cloud/sandbox-controls';
import { caseRow, drive, type Env, provisioningCase, setup } from '../reconciler/support';

// The engineers' connection test answered by the sandbox edge: a name that leads to an available endpoint of an
// active case connects; anything else fails with the words a real failure gives (expected texts written out here).
let env: Env;
let tests: ReturnType<typeof sandboxConnectionTests>;
beforeAll(async () => {
  env = await setup({ endpointLimit: 5 });
  tests = sandboxConnectionTests(env.db);
});
afterAll(async () => {
  await env?.h.close();
});

const pgInput = (host: string, port: number) => ({
  host,
  port,
  database: 'postgres',
  user: 'app',
  password: 'secret-value',
  tls: 'require' as const,
});

async function activeCase(warehouse: 'rds_postgres' | 'redshift' | 'snowflake') {
  const c = await provisioningCase(env, warehouse, env.w.ada);
  expect((await drive(env.deps, c.id, ['active'])).c.state).toBe('active');
  return caseRow(env.db, c.id);
}

describe('connection test in the sandbox', () => {
  it('connects to an active RDS case through its endpoint, and fails as DNS would once the endpoint is deleted', async () => {
    const c = await activeCase('rds_postgres');
    const host = String(c.outputs.host);
    const vpce = String(c.outputs.vpcEndpointId);
    const ok = await tests.testPostgres(pgInput(host, 5432));
    expect(ok).toMatchObject({ ok: true, kind: 'success' });
    expect(ok.message).toMatch(
      new RegExp(
        `^Connected to ${host.replace(/\./g, '\\.')}:5432 through VPC endpoint ${vpce} and ran SELECT 1 in \\d+ ms over TLS\\. Sandbox: the simulated database accepts any credentials\\.$`,
      ),
    );
    expect(JSON.stringify(ok)).not.toContain('secret-value');

    // Not answering (as while it is pending): the words of a timeout.
    await env.db.update(sandboxVpcEndpoints).set({ state: 'pending' }).where(eq(sandboxVpcEndpoints.id, vpce));
    expect(await tests.testPostgres(pgInput(host, 5432))).toEqual({
      ok: false,
      kind: 'timeout',
      message: `No answer from ${host}:5432 in time: check security groups, the NLB listener and that the endpoint is available.`,
    });
    await env.db.update(sandboxVpcEndpoints).set({ state: 'available' }).where(eq(sandboxVpcEndpoints.id, vpce));

    await deleteVpcEndpointOutOfBand(env.db, vpce);
    expect(await tests.testPostgres(pgInput(host, 5432))).toEqual({
      ok: false,
      kind: 'dns',
      message: `DNS lookup failed: ${host} does not resolve from the edge. Check the host name, and that the private hosted zone record exists.`,
    });
  });

  it('fails a host nobody created with the DNS words', async () => {
    expect(await tests.testPostgres(pgInput('no-such-endpoint.invalid', 5432))).toEqual({
      ok: false,
      kind: 'dns',
      message:
        'DNS lookup failed: no-such-endpoint.invalid does not resolve from the edge. Check the host name, and that the private hosted zone record exists.',
    });
    expect((await tests.testHttps({ host: 'dbc-nope.cloud.databricks.com' })).kind).toBe('dns');
  });

  it('connects to an active Redshift case at its managed endpoint address', async () => {
    const c = await activeCase('redshift');
    const r = await tests.testPostgres(pgInput(String(c.outputs.host), Number(c.outputs.port)));
    expect(r).toMatchObject({ ok: true, kind: 'success' });
    expect(r.message).toContain(`through VPC endpoint ${String(c.outputs.vpcEndpointId)}`);
  });

  it('signs in to an active Snowflake case through the CNAME of its account, and fails as DNS would without it', async () => {
    const c = await activeCase('snowflake');
    const account = String(c.outputs.account);
    const r = await tests.testSnowflake({ account, user: 'u', password: 'p' });
    expect(r).toMatchObject({ ok: true, kind: 'success' });
    expect(r.message).toMatch(new RegExp(`^Signed in to Snowflake account ${account.replace(/\./g, '\\.')} through VPC endpoint vpce-`));

    const name = `${account}.snowflakecomputing.com`.toLowerCase();
    const [record] = await env.db.select().from(sandboxDnsRecords).where(eq(sandboxDnsRecords.name, name));
    expect(record).toBeDefined();
    await deleteDnsRecordOutOfBand(env.db, record!.hostedZoneId, name);
    expect(await tests.testSnowflake({ account, user: 'u', password: 'p' })).toEqual({
      ok: false,
      kind: 'dns',
      message: `DNS lookup failed: ${account}.snowflakecomputing.com does not resolve from the edge. Check the host name, and that the private hosted zone record exists.`,
    });
  });
});
