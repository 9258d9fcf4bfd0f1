import 'server-only';
import { z } from 'zod';
import type { Db } from '@/db/index';
import { markNotificationsRead, type Reader } from '@/db/queries/notifications';
import { type AuditContext, writeAudit } from '@/lib/audit';

export const markReadSchema = z.object({
  // One notification, or every unread one of the reader when absent.
  id: z.string().uuid('That is not a notification id: reload the page.').optional(),
});

/**
 * Mark one or all of the reader's notifications read, with its audit row, in one transaction. Only the reader's own
 * notifications can change (scoped in SQL); returns how many did.
 */
export async function markRead(
  db: Db,
  reader: Reader & { email?: string | null },
  input: z.input<typeof markReadSchema>,
  context: AuditContext = {},
): Promise<number> {
  const { id } = markReadSchema.parse(input);
  return db.transaction(async (tx) => {
    const changed = await markNotificationsRead(tx, reader, id ? [id] : 'all');
    if (changed.length > 0) {
      await writeAudit(tx, {
        actor: { id: reader.id, email: reader.email ?? null, role: reader.role },
        action: 'notification.mark_read',
        targetType: 'notification',
        targetId: id ?? null,
        workspaceId: reader.workspaceId,
        after: { count: changed.length, all: !id },
        context,
      });
    }
    return changed.length;
  });
}
