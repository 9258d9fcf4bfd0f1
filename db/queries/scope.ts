import { eq, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { type Principal, reachableWorkspace } from '@/lib/domain/roles';

/**
 * The tenant-scoping rule (reachableWorkspace) as a SQL condition on a workspace column; undefined = no limit. A
 * prepared statement passes `as`, the placeholder the workspace id is bound to, so that its text holds no id.
 */
export function scopeTo(workspaceColumn: AnyPgColumn, p: Pick<Principal, 'role' | 'workspaceId'>, as?: Placeholder): SQL | undefined {
  const reach = reachableWorkspace(p);
  if (reach === 'all') return undefined;
  return reach === null ? sql`false` : eq(workspaceColumn, as ?? reach);
}
