import { eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { type Principal, reachableWorkspace } from '@/lib/domain/roles';

/** The tenant-scoping rule (reachableWorkspace) as a SQL condition on a workspace column; undefined = no limit. */
export function scopeTo(workspaceColumn: AnyPgColumn, p: Pick<Principal, 'role' | 'workspaceId'>): SQL | undefined {
  const reach = reachableWorkspace(p);
  if (reach === 'all') return undefined;
  return reach === null ? sql`false` : eq(workspaceColumn, reach);
}
