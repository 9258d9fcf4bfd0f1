import 'server-only';
import { eq, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { workspaces } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { AppError, validationError } from '@/lib/errors';
import { DEFAULT_ENDPOINT_LIMIT, DEFAULT_MONTHLY_TRANSFER_GIB } from '@/lib/limits';
import { type AdminActor, assertAllowed, auditActorOf, isUniqueViolation, parseOrThrow } from './common';
import { type CreateWorkspaceInput, createWorkspaceSchema, slugify } from './schemas';

export interface CreatedWorkspace {
  id: string;
  name: string;
  slug: string;
  endpointLimit: number;
  monthlyTransferLimitGib: number;
}

function duplicate(field: 'name' | 'slug', value: string) {
  return field === 'name'
    ? new AppError('conflict', 'A workspace with that name already exists.', {
        name: [`A workspace named “${value}” already exists: choose another name.`],
      })
    : new AppError('conflict', 'A workspace with that short name already exists.', {
        slug: [`The short name “${value}” is taken: choose another one.`],
      });
}

/**
 * Create a customer workspace with the private-beta default limits (2 endpoints, 300 GB a month:
 * docs/program-rules.md#beta-limits); raising them is a separate, reasoned override (lib/limits.ts setWorkspaceLimits).
 * One transaction with its audit row.
 */
export async function createWorkspace(
  db: Db,
  actor: AdminActor,
  input: CreateWorkspaceInput,
  context: AuditContext = {},
): Promise<CreatedWorkspace> {
  assertAllowed(actor, 'admin.manage_workspaces');
  const data = parseOrThrow(createWorkspaceSchema, input);
  const slug = data.slug ?? slugify(data.name);
  if (!slug) {
    throw validationError('Some fields need attention.', {
      slug: ['The name has no letters or digits to make a short name from: enter one, like “acme-eu”.'],
    });
  }
  try {
    return await db.transaction(async (tx) => {
      // Names are compared case-insensitively: “Acme” and “acme” would be the same customer to a person.
      const clashes = await tx
        .select({ name: workspaces.name, slug: workspaces.slug })
        .from(workspaces)
        .where(or(sql`lower(${workspaces.name}) = lower(${data.name})`, eq(workspaces.slug, slug)))
        .limit(2);
      // The name is what the admin typed for sure (the short name may have been made from it): blame it first.
      if (clashes.some((c) => c.name.toLowerCase() === data.name.toLowerCase())) throw duplicate('name', data.name);
      if (clashes.length > 0) throw duplicate('slug', slug);
      const [row] = await tx
        .insert(workspaces)
        .values({
          name: data.name,
          slug,
          endpointLimit: DEFAULT_ENDPOINT_LIMIT,
          monthlyTransferLimitGib: DEFAULT_MONTHLY_TRANSFER_GIB,
        })
        .returning({
          id: workspaces.id,
          name: workspaces.name,
          slug: workspaces.slug,
          endpointLimit: workspaces.endpointLimit,
          monthlyTransferLimitGib: workspaces.monthlyTransferLimitGib,
        });
      await writeAudit(tx, {
        actor: auditActorOf(actor),
        action: 'workspace.create',
        targetType: 'workspace',
        targetId: row!.id,
        workspaceId: row!.id,
        after: {
          name: row!.name,
          slug: row!.slug,
          endpointLimit: row!.endpointLimit,
          monthlyTransferLimitGib: row!.monthlyTransferLimitGib,
        },
        context,
      });
      return row!;
    });
  } catch (err) {
    // Two admins creating the same workspace at once: the unique index decides, the loser gets the same words.
    if (isUniqueViolation(err, 'workspaces_slug_unique')) throw duplicate('slug', slug);
    if (isUniqueViolation(err)) throw duplicate('name', data.name);
    throw err;
  }
}
