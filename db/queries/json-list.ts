import { type Column, type SQL, type SQLWrapper, sql } from 'drizzle-orm';

// Reading a row and the lists that hang off it in one statement: each list is a correlated subquery folded into a
// JSON array (PostgreSQL's json_agg: https://www.postgresql.org/docs/current/functions-aggregate.html), so a page pays
// one round trip instead of one per list (docs/deploy.md#benchmarks).

/** `columns` selected under their own keys, so that the rows of a subquery become JSON objects with those keys. */
export function keyed(columns: Record<string, Column>): Record<string, SQL.Aliased> {
  return Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, sql`${column}`.as(key)]));
}

/**
 * The rows `rows` selects (with `keyed(columns)`) as one JSON array, ordered by `orderKey`, empty when there are none.
 * Timestamps come back as Dates, exactly as the same columns do from a plain select.
 */
export function jsonList<T>(rows: SQLWrapper, columns: Record<string, Column>, orderKey: keyof T & string): SQL<T[]> {
  const dates = Object.keys(columns).filter((key) => columns[key]!.dataType === 'date');
  return sql`(select coalesce(json_agg(t order by t.${sql.identifier(orderKey)}), '[]'::json) from (${rows}) t)`.mapWith((raw: unknown) => {
    const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>[];
    for (const row of list) for (const key of dates) if (typeof row[key] === 'string') row[key] = new Date(row[key]);
    return list as T[];
  });
}
