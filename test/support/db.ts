import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@/db/index';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** True when TEST_DATABASE_URL points at a real PostgreSQL server (CI sets it). */
export const hasRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a new database on the real server when TEST_DATABASE_URL is set
 * (dropped afterwards), else an in-memory PGlite. Refuses to touch a non-local server: these tests create and drop.
 */
export async function createTestDatabase(opts: { real?: boolean } = {}): Promise<DatabaseHandle & { url?: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (opts.real === false || !base) {
    if (opts.real) throw new Error('TEST_DATABASE_URL is not set');
    return openDatabase({ dataDir: 'memory://' });
  }
  const parsed = new URL(base);
  if (!LOCAL_HOSTS.has(parsed.hostname)) {
    throw new Error(`Refusing to run destructive tests against non-local database host "${parsed.hostname}"`);
  }
  const name = `plp_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The database's own message for a query that must fail (Drizzle wraps it in `cause`); throws if it succeeded. */
export async function dbErrorMessage(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? (err as Error).message;
  }
  throw new Error('expected the query to fail, but it succeeded');
}
