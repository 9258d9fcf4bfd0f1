import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { testPostgres } from '@/lib/connection-test';
import { httpWords, postgresWords, snowflakeWords } from '@/lib/connection-test/words';
import { hasRealPostgres } from './support/db';

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.runIf(hasRealPostgres)('Postgres connection test against the local PostgreSQL', () => {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://localhost');
  const base = {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1) || 'postgres',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password) || 'unused',
    tls: 'disable' as const,
  };

  it('succeeds and reports the latency', async () => {
    const r = await testPostgres(base);
    expect(r).toMatchObject({ ok: true, kind: 'success' });
    expect(r.message).toMatch(new RegExp(`^Connected to ${base.host}:${base.port} and ran SELECT 1 in \\d+ ms \\(without TLS\\)\\.$`));
  });

  it('says the database does not exist, and that the network path works', async () => {
    const r = await testPostgres({ ...base, database: 'no_such_database_here' });
    expect(r).toMatchObject({ ok: false, kind: 'not_found' });
    expect(r.message).toContain('that database does not exist. The network path works.');
  });

  it('reports a TLS failure when the server does not speak TLS', async () => {
    const r = await testPostgres({ ...base, tls: 'require' });
    expect(r).toMatchObject({ ok: false, kind: 'tls' });
  });
});

describe('connection test failures in words', () => {
  it('names a closed port as refused', async () => {
    const port = await closedPort();
    const r = await testPostgres({ host: '127.0.0.1', port, database: 'x', user: 'x', password: 'secret-value', tls: 'disable' });
    expect(r).toEqual({
      ok: false,
      kind: 'refused',
      message: `Connection refused by 127.0.0.1:${port}: nothing listens there. Check the port and that the endpoint is available.`,
    });
    expect(JSON.stringify(r)).not.toContain('secret-value');
  });

  it('names an unresolvable host as a DNS failure', async () => {
    const r = await testPostgres({ host: 'no-such-endpoint.invalid', port: 5432, database: 'x', user: 'x', password: 'x', tls: 'disable' });
    expect(r.kind).toBe('dns');
    expect(r.message).toBe(
      'DNS lookup failed: no-such-endpoint.invalid does not resolve from the edge. Check the host name, and that the private hosted zone record exists.',
    );
  });

  it.each([
    [{ code: '28P01', message: 'password authentication failed for user "x"' }, 'auth', 'wrong password'],
    [{ code: '28000', message: 'no pg_hba.conf entry' }, 'auth', 'not authorised'],
    [{ code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' }, 'timeout', 'No answer from'],
    [{ message: 'The server does not support SSL connections' }, 'tls', 'TLS failed'],
    [{ code: 'XX000', message: 'internal error' }, 'error', 'answered with an error'],
  ])('maps pg error %j to %s', (err, kind, words) => {
    const r = postgresWords(err, 'db.example', 5439);
    expect(r.kind).toBe(kind);
    expect(r.message).toContain(words);
  });

  // Shapes of snowflake-sdk errors (code as the driver sets it on its Error objects).
  it.each([
    [{ code: 390100, message: 'Incorrect username or password was specified.' }, 'auth', 'refused the credentials'],
    [{ code: '401001', message: 'Network error. Could not reach Snowflake.' }, 'timeout', 'CNAME records'],
    [{ code: '390201', message: 'The requested warehouse does not exist or not authorized.' }, 'not_found', 'does not exist'],
    [
      { message: 'getaddrinfo ENOTFOUND xy12345.us-east-1.privatelink.snowflakecomputing.com', cause: { code: 'ENOTFOUND' } },
      'dns',
      'DNS lookup failed',
    ],
    [{ code: '404005', message: 'Something else' }, 'error', '(404005)'],
  ])('maps snowflake-sdk error %j to %s', (err, kind, words) => {
    const r = snowflakeWords(err, 'xy12345.us-east-1.privatelink');
    expect(r.kind).toBe(kind);
    expect(r.message).toContain(words);
  });

  it('maps an HTTPS certificate failure to TLS words', () => {
    expect(httpWords({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'acme.cloud.databricks.com').kind).toBe('tls');
  });
});
