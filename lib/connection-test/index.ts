import 'server-only';
import pg from 'pg';
import { type ConnectionOutcome, httpWords, postgresWords, snowflakeWords } from './words';

export type { ConnectionOutcome };

const TIMEOUT_MS = 8_000;

export type TlsMode = 'verify' | 'require' | 'disable';

/** PostgreSQL or Redshift through pg: connect, `SELECT 1`, disconnect. The credentials live only in this call. */
export async function testPostgres(t: {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: TlsMode;
}): Promise<ConnectionOutcome> {
  const started = performance.now();
  const client = new pg.Client({
    host: t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    password: t.password,
    ssl: t.tls === 'disable' ? false : { rejectUnauthorized: t.tls === 'verify' },
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
    statement_timeout: TIMEOUT_MS,
  });
  client.on('error', () => {}); // a late socket error must not crash the server
  try {
    await client.connect();
    await client.query('select 1');
    const latencyMs = Math.round(performance.now() - started);
    return {
      ok: true,
      kind: 'success',
      latencyMs,
      message: `Connected to ${t.host}:${t.port} and ran SELECT 1 in ${latencyMs} ms${t.tls === 'disable' ? ' (without TLS)' : ' over TLS'}.`,
    };
  } catch (err) {
    return postgresWords(err, t.host, t.port);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Snowflake through snowflake-sdk, account = privatelink-account-name (docs/facts.md#snowflake), then `SELECT 1`. */
export async function testSnowflake(t: {
  account: string;
  user: string;
  password: string;
  warehouse?: string;
  role?: string;
}): Promise<ConnectionOutcome> {
  const started = performance.now();
  const snowflake = (await import('snowflake-sdk')).default;
  snowflake.configure({ logLevel: 'OFF' });
  const conn = snowflake.createConnection({
    account: t.account,
    username: t.user,
    password: t.password,
    warehouse: t.warehouse || undefined,
    role: t.role || undefined,
    timeout: TIMEOUT_MS,
    application: 'PrivateLinkPortal',
  });
  try {
    await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => conn.execute({ sqlText: 'select 1', complete: (err) => (err ? reject(err) : resolve()) }));
    const latencyMs = Math.round(performance.now() - started);
    return {
      ok: true,
      kind: 'success',
      latencyMs,
      message: `Signed in to Snowflake account ${t.account} and ran SELECT 1 in ${latencyMs} ms.`,
    };
  } catch (err) {
    return snowflakeWords(err, t.account);
  } finally {
    await new Promise<void>((resolve) => conn.destroy(() => resolve()));
  }
}

/** Databricks: an HTTPS request to the workspace host; any HTTP answer proves the private path and TLS work. */
export async function testHttps(t: { host: string; token?: string }): Promise<ConnectionOutcome> {
  const started = performance.now();
  try {
    const res = await fetch(`https://${t.host}/api/2.0/clusters/list`, {
      headers: t.token ? { authorization: `Bearer ${t.token}` } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    const latencyMs = Math.round(performance.now() - started);
    if (res.status === 401 || res.status === 403) {
      return {
        ok: true,
        kind: 'success',
        latencyMs,
        message: `Reached ${t.host} over TLS in ${latencyMs} ms; it asked for ${t.token ? 'other' : ''} credentials (HTTP ${res.status}), so the network path works.`,
      };
    }
    return {
      ok: res.status < 500,
      kind: res.status < 500 ? 'success' : 'http',
      latencyMs,
      message: `Reached ${t.host} over TLS in ${latencyMs} ms: HTTP ${res.status}.`,
    };
  } catch (err) {
    return httpWords(err, t.host);
  }
}
