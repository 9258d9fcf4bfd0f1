import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@/db/index';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** True when TEST_DATABASE_URL points at a real PostgreSQL server (CI sets it). */
export const hasRealPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a new database on the real server when TEST_DATABASE_URL is set
 * (dropped afterwards), else an in-memory PGlite. Refuses to touch a non-local server: these tests create and drop.
 */
/** The two roles every real test database uses: the owner migrates, the app role is what the code connects as. */
export const TEST_ROLES = { owner: 'plp_test_owner', app: 'plp_test_app' } as const;

export async function createTestDatabase(opts: { real?: boolean } = {}): Promise<DatabaseHandle & { url?: string; ownerUrl?: string }> {
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
  // As in production (docs/threat-model.md#two-database-roles): the database belongs to an owner role that migrates,
  // and the code under test connects as an app role that may not change the schema or the audit log.
  for (const role of [TEST_ROLES.owner, TEST_ROLES.app]) {
    await admin.query(`create role ${role} login`).catch((err: { code?: string }) => {
      // Another test file created it first (42710 duplicate_object; 23505 when the two raced in the catalog).
      if (err.code !== '42710' && err.code !== '23505') throw err;
    });
  }
  await admin.query(`create database ${name} owner ${TEST_ROLES.owner}`);
  await admin.end();
  const as = (role: string) => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    u.username = role;
    u.password = '';
    return u.toString();
  };
  const url = as(TEST_ROLES.app);
  const ownerUrl = as(TEST_ROLES.owner);
  const handle = await openDatabase({ url, ownerUrl });
  return {
    ...handle,
    url,
    ownerUrl,
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
