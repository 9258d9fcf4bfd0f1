import 'server-only';
import { desc } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { auditLog } from '@/db/schema';

export async function listAudit(limit = 100) {
  const db = await getDb();
  return db.select({
    id: auditLog.id, at: auditLog.at, actorEmail: auditLog.actorEmail, actorRole: auditLog.actorRole,
    action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, sourceIp: auditLog.sourceIp,
  }).from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}
