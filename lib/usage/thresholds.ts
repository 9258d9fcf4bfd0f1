/**
 * Monthly transfer thresholds (docs/design.md#usage: warn at 80 %, at 100 % no more provisioning and staff alerted).
 * Each threshold is announced once per workspace and UTC month: the usage_alerts row and the notifications are
 * written in one transaction, and the row's primary key makes a second, concurrent announcement a no-op.
 */
import 'server-only';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { monthStart } from '@/lib/domain/utc-day';
import { usageAlerts, usageDaily, workspaces } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { GIB } from '@/lib/domain/units';
import { type AfterCommit, notifyUsageThreshold } from '@/lib/notifications/notify';

export const THRESHOLDS = [80, 100] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/**
 * The thresholds a month's bytes have reached against a limit in GiB (GiB = 2^30 bytes:
 * docs/program-rules.md#beta-limits).
 */
export function reachedThresholds(monthBytes: number, limitGib: number): Threshold[] {
  if (monthBytes <= 0) return [];
  const limit = limitGib * GIB;
  return THRESHOLDS.filter((t) => monthBytes >= (limit * t) / 100);
}

/**
 * Announce the thresholds the workspace newly reached this month. Jumping past both at once announces only 100 %
 * (and records 80 % as done, so it does not follow later). Returns the newly recorded thresholds.
 */
export async function notifyUsageThresholds(db: Db, workspaceId: string, now: Date = new Date()): Promise<Threshold[]> {
  const month = monthStart(now);
  const result = await db.transaction(async (tx) => {
    const [ws] = await tx
      .select({ name: workspaces.name, limitGib: workspaces.monthlyTransferLimitGib })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!ws) return null;
    const [sum] = await tx
      .select({ bytes: sql<string>`coalesce(sum(${usageDaily.bytes}), 0)::text` })
      .from(usageDaily)
      .where(and(eq(usageDaily.workspaceId, workspaceId), gte(usageDaily.day, month)));
    const monthBytes = Number(sum?.bytes ?? 0);
    const reached = reachedThresholds(monthBytes, ws.limitGib);
    if (reached.length === 0) return null;
    const inserted = await tx
      .insert(usageAlerts)
      .values(reached.map((threshold) => ({ workspaceId, month, threshold, monthBytes })))
      .onConflictDoNothing()
      .returning({ threshold: usageAlerts.threshold });
    if (inserted.length === 0) return null;
    const top = Math.max(...inserted.map((r) => r.threshold)) as Threshold;
    const facts = { workspaceName: ws.name, threshold: top, monthGib: monthBytes / GIB, limitGib: ws.limitGib };
    // In-app, e-mail and chat (outbox rows) in this transaction.
    const { notified, afterCommit } = await notifyUsageThreshold(tx, workspaceId, facts);
    await writeAudit(tx, {
      actor: { id: null, role: 'reconciler' },
      action: 'usage.threshold_reached',
      targetType: 'workspace',
      targetId: workspaceId,
      workspaceId,
      after: { month, thresholds: inserted.map((r) => r.threshold), monthBytes, limitGib: ws.limitGib, notified },
    });
    return { thresholds: inserted.map((r) => r.threshold as Threshold), afterCommit: afterCommit as AfterCommit };
  });
  if (!result) return [];
  result.afterCommit(); // wakes the delivery loop; never blocks or throws
  return result.thresholds.sort((a, b) => a - b);
}
