import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { safeText } from '@/lib/validation/text';
import type { Db, Tx } from '@/db/index';
import { getWorkspaceUsage, type WorkspaceUsage } from '@/db/queries/workspaces';
import { workspaces } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { GIB } from '@/lib/domain/units';
import { notFoundError } from '@/lib/errors';

// The private beta's limits: up to 2 PrivateLink VPC endpoints and 300 GB (lib/domain/units.ts) in total a month
// (docs/program-rules.md#beta-limits).
export const DEFAULT_ENDPOINT_LIMIT = 2;
export const DEFAULT_MONTHLY_TRANSFER_GIB = 300;

export type { WorkspaceUsage };

export interface UsageSummary {
  endpoints: string;
  transfer: string;
  endpointsFull: boolean;
  transferFull: boolean;
  transferPercent: number;
}

/** The numbers the UI shows: "1 of 2 endpoints", "12.3 of 300 GB this month". */
export function describeUsage(u: WorkspaceUsage): UsageSummary {
  const limitBytes = u.monthlyTransferLimitGib * GIB;
  return {
    endpoints: `${u.endpointsUsed} of ${u.endpointLimit} endpoints`,
    transfer: `${(u.monthBytes / GIB).toFixed(1)} of ${u.monthlyTransferLimitGib} GB this month`,
    endpointsFull: u.endpointsUsed >= u.endpointLimit,
    transferFull: u.monthBytes >= limitBytes,
    transferPercent: limitBytes > 0 ? Math.round((u.monthBytes / limitBytes) * 1000) / 10 : 100,
  };
}

/** Why a workspace may not take another endpoint slot now, or null when it may. `usage` excludes the asking case. */
export function limitRefusal(u: WorkspaceUsage): string | null {
  if (u.endpointsUsed >= u.endpointLimit) {
    return `This workspace already uses ${u.endpointsUsed} of its ${u.endpointLimit} PrivateLink endpoints (private beta limit). To free one, a workspace admin can cancel a case that is not active yet; an active connection is removed only by the platform's engineers. Only a platform administrator can raise the limit: ask your CSM to request it.`;
  }
  if (u.monthBytes >= u.monthlyTransferLimitGib * GIB) {
    return `This workspace has moved ${(u.monthBytes / GIB).toFixed(1)} GB over PrivateLink this month, at or above its ${u.monthlyTransferLimitGib} GB monthly limit (private beta). New connections can start again on the 1st of next month (UTC). Only a platform administrator can raise the limit sooner: ask your CSM to request it.`;
  }
  return null;
}

/**
 * The beta limits inside the caller's transaction: lock the workspace row (so concurrent requests queue and cannot
 * both take the last slot), count the other cases holding slots and this month's bytes; returns why the case may not
 * take a slot, or null.
 */
export async function checkLimitsLocked(tx: Tx, workspaceId: string, caseId: string, now: Date = new Date()): Promise<string | null> {
  const usage = await getWorkspaceUsage(tx, workspaceId, { now, excludeCaseId: caseId, lock: true });
  if (!usage) throw notFoundError('Workspace not found.');
  return limitRefusal(usage);
}

export const limitOverrideSchema = z.object({
  workspaceId: z.string().uuid('Choose a workspace.'),
  endpointLimit: z.coerce
    .number()
    .int('The endpoint limit is a whole number.')
    .min(0, 'The endpoint limit cannot be negative.')
    .max(100, 'The endpoint limit is at most 100.'),
  monthlyTransferLimitGib: z.coerce
    .number()
    .int('The transfer limit is a whole number of GB.')
    .min(0, 'The transfer limit cannot be negative.')
    .max(100_000, 'The transfer limit is at most 100,000 GB.'),
  reason: safeText({ bidi: true })
    .trim()
    .min(5, 'Give a reason of at least 5 characters: it is kept in the audit log.')
    .max(500, 'Keep the reason under 500 characters.'),
});

/** Admin override of one workspace's limits, audited with before and after. */
export async function setWorkspaceLimits(
  db: Db,
  actor: { id: string; email?: string | null; role: string },
  input: z.output<typeof limitOverrideSchema>,
  context: AuditContext = {},
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        endpointLimit: workspaces.endpointLimit,
        monthlyTransferLimitGib: workspaces.monthlyTransferLimitGib,
        reason: workspaces.limitOverrideReason,
      })
      .from(workspaces)
      .where(eq(workspaces.id, input.workspaceId))
      .for('update');
    if (!before) throw notFoundError('Workspace not found.');
    const after = { endpointLimit: input.endpointLimit, monthlyTransferLimitGib: input.monthlyTransferLimitGib, reason: input.reason };
    await tx
      .update(workspaces)
      .set({
        endpointLimit: input.endpointLimit,
        monthlyTransferLimitGib: input.monthlyTransferLimitGib,
        limitOverrideReason: input.reason,
        updatedAt: new Date(),
      })
      .where(eq(workspaces.id, input.workspaceId));
    await writeAudit(tx, {
      actor,
      action: 'workspace.limits_override',
      targetType: 'workspace',
      targetId: input.workspaceId,
      workspaceId: input.workspaceId,
      before,
      after,
      context,
    });
    return after;
  });
}
