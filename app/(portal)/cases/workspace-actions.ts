'use server';

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { workspaces } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { action } from '@/lib/auth/guard';
import { notFoundError } from '@/lib/errors';

/**
 * A CSM turns off (or on again) the portal's own provisioning request for a workspace's cases whose every check passed
 * (docs/design.md#two-staff-touches). Audited with before and after.
 */
export const setAutoRequestAction = action(
  z.object({ workspaceId: z.string().uuid('That is not a workspace id.'), enabled: z.boolean() }),
  { permission: 'workspace.auto_request' },
  async (input, { user, db, requestId, sourceIp }) =>
    db.transaction(async (tx) => {
      const [before] = await tx
        .select({ auto: workspaces.autoRequestProvisioning })
        .from(workspaces)
        .where(eq(workspaces.id, input.workspaceId))
        .for('update');
      if (!before) throw notFoundError('No such workspace.');
      await tx
        .update(workspaces)
        .set({ autoRequestProvisioning: input.enabled, updatedAt: new Date() })
        .where(eq(workspaces.id, input.workspaceId));
      await writeAudit(tx, {
        actor: { id: user.id, email: user.email, role: user.role },
        action: 'workspace.set_auto_request',
        targetType: 'workspace',
        targetId: input.workspaceId,
        workspaceId: input.workspaceId,
        before: { autoRequestProvisioning: before.auto },
        after: { autoRequestProvisioning: input.enabled },
        context: { requestId, sourceIp },
      });
      return { enabled: input.enabled };
    }),
);
