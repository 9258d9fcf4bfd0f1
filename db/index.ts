import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

/** The one database type the app codes against, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle (it has the same query API as Db). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'pg';
  close(): Promise<void>;
}

const MIGRATIONS = path.join(process.cwd(), 'db', 'migrations');

/**
 * Open a database and apply every committed migration.
 * `url` set → PostgreSQL through `pg`; otherwise PGlite in `dataDir` (or in memory for "memory://").
 * `ownerUrl` set → migrations run as that (owner) role, which then grants the `url` role only what the portal needs:
 * rows, never the schema, and on audit_log only INSERT and SELECT (docs/threat-model.md#two-database-roles). Without
 * it, one role does both (the embedded default and simple setups).
 */
export async function openDatabase(opts: {
  url?: string;
  ownerUrl?: string;
  dataDir?: string;
  migrationsFolder?: string;
}): Promise<DatabaseHandle> {
  const migrationsFolder = opts.migrationsFolder ?? MIGRATIONS;
  if (opts.url) {
    const separateOwner = Boolean(opts.ownerUrl && opts.ownerUrl !== opts.url);
    if (separateOwner) {
      const owner = new pg.Pool({ connectionString: opts.ownerUrl, max: 1, connectionTimeoutMillis: 5_000 });
      owner.on('error', (err) => console.error('[db] owner connection error:', err.message));
      try {
        await migrateWithLock(owner, migrationsFolder);
        await grantAppRole(owner, decodeURIComponent(new URL(opts.url).username));
      } finally {
        await owner.end().catch(() => {});
      }
    }
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // A pool emits 'error' when an idle client's server goes away; without a listener Node would crash.
    pool.on('error', (err) => console.error('[db] idle client error:', err.message));
    const db = drizzlePg(pool, { schema, ...statementLogger() }) as unknown as Db;
    try {
      // A role that may not change the schema cannot run the migrator even when nothing is left to apply (it creates
      // its own schema first), so the migrator runs only when a migration is pending.
      if (!separateOwner && (await pending(pool, migrationsFolder))) await migrateWithLock(pool, migrationsFolder);
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return { db, kind: 'pg', close: () => pool.end() };
  }
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true }); // PGlite does not create parents
  const client = new PGlite(dir);
  const db = drizzlePglite({ client, schema, ...statementLogger() }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder });
  return { db, kind: 'pglite', close: () => client.close() };
}

const counter = globalThis as unknown as { __plpStatements?: number };

/**
 * With BENCH_QUERY_COUNT=1 (set only by bench/load.ts), count every statement Drizzle sends through its logger hook;
 * off, no logger is installed at all (docs/deploy.md#benchmarks).
 */
function statementLogger(): { logger?: { logQuery(): void } } {
  if (process.env.BENCH_QUERY_COUNT !== '1') return {};
  counter.__plpStatements ??= 0;
  return {
    logger: {
      logQuery() {
        counter.__plpStatements = (counter.__plpStatements ?? 0) + 1;
      },
    },
  };
}

/** Statements this process has sent since it started, or null when counting is off (BENCH_QUERY_COUNT unset). */
export function statementCount(): number | null {
  return process.env.BENCH_QUERY_COUNT === '1' ? (counter.__plpStatements ?? 0) : null;
}

// Several servers or workers may start at once against one PostgreSQL: migrate under an advisory lock.
async function migrateWithLock(pool: pg.Pool, migrationsFolder: string) {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(724100)');
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock(724100)');
    }
  } finally {
    client.release();
  }
}

/** Whether a committed migration is newer than the newest one the database recorded (the migrator's own rule). */
async function pending(pool: pg.Pool, migrationsFolder: string): Promise<boolean> {
  const newest = Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  try {
    const r = await pool.query<{ at: string | null }>('select max(created_at)::text as at from drizzle.__drizzle_migrations');
    return r.rows[0]?.at == null || Number(r.rows[0].at) < newest;
  } catch {
    return true; // never migrated (or not readable): let the migrator decide, and say why if it cannot
  }
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * What the portal's own role may do: read and write rows of every table, use the sequences, read the migrations
 * record, and on audit_log only add and read. Ownership (ALTER, DROP, triggers, functions) stays with the owner.
 */
async function grantAppRole(owner: pg.Pool, role: string) {
  if (!IDENT.test(role)) throw new Error(`The database role "${role}" in DATABASE_URL must be a plain lower-case name.`);
  const schemas = ['public', 'edge_sandbox'];
  for (const statement of [
    `grant usage on schema ${schemas.join(', ')}, drizzle to ${role}`,
    ...schemas.map((s) => `grant select, insert, update, delete on all tables in schema ${s} to ${role}`),
    ...schemas.map((s) => `grant usage, select on all sequences in schema ${s} to ${role}`),
    `grant select on drizzle.__drizzle_migrations to ${role}`,
    `revoke update, delete, truncate, references, trigger on audit_log from ${role}`,
  ])
    await owner.query(statement);
}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? '.data');
}

type Ready = { handle: DatabaseHandle };
const globalForDb = globalThis as unknown as { __plpDb?: Promise<Ready>; __plpOnOpen?: (db: Db) => Promise<void> };

/**
 * Work to do once on the process-wide database after its migrations and before its first use. The server sets the
 * demo seed here (instrumentation.ts): storage does not know the domain.
 */
export function setDatabaseInit(fn: (db: Db) => Promise<void>): void {
  globalForDb.__plpOnOpen = fn;
}

/**
 * The process-wide database, opened, migrated and (on the embedded default) seeded on first use. Kept on globalThis:
 * Next can load this module more than once per process (docs/platform-notes.md#modules-loaded-more-than-once).
 */
export async function getDb(): Promise<Db> {
  return (await ready()).handle.db;
}

export function ready(): Promise<Ready> {
  if (!globalForDb.__plpDb) {
    globalForDb.__plpDb = init().catch((err) => {
      globalForDb.__plpDb = undefined; // let the next request try again (database back up, say)
      throw err;
    });
  }
  return globalForDb.__plpDb;
}

async function init(): Promise<Ready> {
  const url = process.env.DATABASE_URL || undefined;
  const ownerUrl = process.env.DATABASE_OWNER_URL || undefined;
  const handle = await openDatabase({ url, ownerUrl, dataDir: path.join(dataDir(), 'pglite') });
  await globalForDb.__plpOnOpen?.(handle.db);
  return { handle };
}

/** Database round trip for /api/health; throws when the database does not answer. */
export async function pingDatabase(): Promise<number> {
  const db = await getDb();
  const started = performance.now();
  await db.execute(sql`select 1`);
  return performance.now() - started;
}
