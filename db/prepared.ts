import type { Db } from './index';

// Statements a page runs on every request are built once, not per request: drizzle's query builder costs about as
// much CPU as the round trip itself, and a named statement is parsed and planned by PostgreSQL once per connection
// rather than on every execution (https://orm.drizzle.team/docs/perf-queries,
// https://node-postgres.com/features/queries#prepared-statements). docs/deploy.md#database-connections says what a pooler
// in front of PostgreSQL must allow, and docs/deploy.md#benchmarks what it saved.

const built = new WeakMap<Db, Map<string, unknown>>();

/**
 * The prepared statement `build` makes (with `sql.placeholder` for each value), made once per database handle and
 * name. `name` must stand for one SQL text: put whatever changes the text (the reader's role, say) into it.
 */
export function prepareOnce<T>(db: Db, name: string, build: (name: string) => T): T {
  let byName = built.get(db);
  if (!byName) {
    byName = new Map();
    built.set(db, byName);
  }
  if (!byName.has(name)) byName.set(name, build(name));
  return byName.get(name) as T;
}
