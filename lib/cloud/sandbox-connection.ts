/**
 * The engineers' connection test against the sandbox edge account (docs/design.md#connection-test-in-the-sandbox).
 * The sandbox has no warehouse behind its endpoints, so it answers as a reachable target would: the host is looked
 * up in the edge's private DNS (records the portal wrote, VPC endpoint and Redshift-managed endpoint names) and a
 * "connection" succeeds when the name leads to an endpoint that is available. Anything else fails with the words a
 * real failure gives (lib/connection-test/words.ts). Credentials are not checked: nothing there could check them.
 */
import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { sandboxDnsRecords, sandboxEndpointServices, sandboxRedshiftEndpoints, sandboxVpcEndpoints } from '@/db/schema';
import type { testHttps, testPostgres, testSnowflake } from '@/lib/connection-test';
import { type ConnectionOutcome, httpWords, postgresWords, snowflakeWords } from '@/lib/connection-test/words';
import { normaliseDnsName } from './naming';

/** Where a name leads in the sandbox: an available endpoint, one that does not answer, or nowhere. */
type Resolved = { reach: 'nowhere' } | { reach: 'silent'; vpcEndpointId: string } | { reach: 'ok'; vpcEndpointId: string };

// CNAME chains in the edge's zones are one hop (host → endpoint DNS name); a few more are followed to be safe.
const MAX_HOPS = 4;

async function resolve(db: Db, host: string): Promise<Resolved> {
  let name = normaliseDnsName(host);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const [ep] = await db
      .select({ id: sandboxVpcEndpoints.id, state: sandboxVpcEndpoints.state, serviceName: sandboxVpcEndpoints.serviceName })
      .from(sandboxVpcEndpoints)
      .where(and(eq(sandboxVpcEndpoints.dnsName, name), isNull(sandboxVpcEndpoints.deletedAt)));
    if (ep) return reachOf(db, ep);
    const [redshift] = await db
      .select({ vpcEndpointId: sandboxRedshiftEndpoints.vpcEndpointId, status: sandboxRedshiftEndpoints.status })
      .from(sandboxRedshiftEndpoints)
      .where(eq(sandboxRedshiftEndpoints.address, name));
    if (redshift) {
      if (redshift.status !== 'active') return { reach: 'silent', vpcEndpointId: redshift.vpcEndpointId };
      const [inner] = await db
        .select({ id: sandboxVpcEndpoints.id, state: sandboxVpcEndpoints.state, serviceName: sandboxVpcEndpoints.serviceName })
        .from(sandboxVpcEndpoints)
        .where(and(eq(sandboxVpcEndpoints.id, redshift.vpcEndpointId), isNull(sandboxVpcEndpoints.deletedAt)));
      // Redshift runs its own endpoint; the sandbox may not keep it as a VPC endpoint row, and then the address answers.
      return inner ? reachOf(db, inner) : { reach: 'ok', vpcEndpointId: redshift.vpcEndpointId };
    }
    const [record] = await db
      .select({ value: sandboxDnsRecords.value })
      .from(sandboxDnsRecords)
      .where(and(eq(sandboxDnsRecords.name, name), eq(sandboxDnsRecords.type, 'CNAME')));
    if (!record) return { reach: 'nowhere' };
    name = normaliseDnsName(record.value);
  }
  return { reach: 'nowhere' };
}

/** An endpoint answers while it is available and the service behind it exists. */
async function reachOf(db: Db, ep: { id: string; state: string; serviceName: string }): Promise<Resolved> {
  if (ep.state !== 'available') return { reach: 'silent', vpcEndpointId: ep.id };
  const [service] = await db
    .select({ removed: sandboxEndpointServices.removed })
    .from(sandboxEndpointServices)
    .where(eq(sandboxEndpointServices.serviceName, ep.serviceName));
  return service?.removed ? { reach: 'silent', vpcEndpointId: ep.id } : { reach: 'ok', vpcEndpointId: ep.id };
}

// The socket errors a real test would meet: no DNS answer, or no answer from the address in time.
const NOT_FOUND = { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' };
const NO_ANSWER = { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' };

function elapsed(started: number) {
  return Math.max(1, Math.round(performance.now() - started));
}

/** The three tests of lib/connection-test, with the same inputs, answered by the sandbox edge. */
export function sandboxConnectionTests(db: Db) {
  return {
    async testPostgres(t: Parameters<typeof testPostgres>[0]): Promise<ConnectionOutcome> {
      const started = performance.now();
      const r = await resolve(db, t.host);
      if (r.reach === 'nowhere') return postgresWords(NOT_FOUND, t.host, t.port);
      if (r.reach === 'silent') return postgresWords(NO_ANSWER, t.host, t.port);
      const latencyMs = elapsed(started);
      return {
        ok: true,
        kind: 'success',
        latencyMs,
        message: `Connected to ${t.host}:${t.port} through VPC endpoint ${r.vpcEndpointId} and ran SELECT 1 in ${latencyMs} ms${t.tls === 'disable' ? ' (without TLS)' : ' over TLS'}. Sandbox: the simulated database accepts any credentials.`,
      };
    },
    async testSnowflake(t: Parameters<typeof testSnowflake>[0]): Promise<ConnectionOutcome> {
      const started = performance.now();
      // snowflake-sdk connects to <account>.snowflakecomputing.com; the PrivateLink names are CNAMEs in the edge's zone.
      const r = await resolve(db, `${t.account}.snowflakecomputing.com`);
      if (r.reach === 'nowhere') return snowflakeWords(NOT_FOUND, t.account);
      if (r.reach === 'silent') return snowflakeWords({ code: '401001', message: 'Network error. Could not reach Snowflake.' }, t.account);
      const latencyMs = elapsed(started);
      return {
        ok: true,
        kind: 'success',
        latencyMs,
        message: `Signed in to Snowflake account ${t.account} through VPC endpoint ${r.vpcEndpointId} and ran SELECT 1 in ${latencyMs} ms. Sandbox: the simulated account accepts any credentials.`,
      };
    },
    async testHttps(t: Parameters<typeof testHttps>[0]): Promise<ConnectionOutcome> {
      const started = performance.now();
      const r = await resolve(db, t.host);
      if (r.reach === 'nowhere') return httpWords(NOT_FOUND, t.host);
      if (r.reach === 'silent') return httpWords(NO_ANSWER, t.host);
      const latencyMs = elapsed(started);
      // A real workspace asks for credentials without a token (HTTP 401), and answers 200 with one.
      return {
        ok: true,
        kind: 'success',
        latencyMs,
        message: t.token
          ? `Reached ${t.host} through VPC endpoint ${r.vpcEndpointId} over TLS in ${latencyMs} ms: HTTP 200. Sandbox: the simulated workspace accepts any token.`
          : `Reached ${t.host} through VPC endpoint ${r.vpcEndpointId} over TLS in ${latencyMs} ms; it asked for credentials (HTTP 401), so the network path works.`,
      };
    },
  };
}
