import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/index';
import { apiRateLimits } from '@/db/schema';

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (what Retry-After says when refused). */
  resetSeconds: number;
}

/**
 * Count one request of the token in the current fixed window and say whether it fits. One upsert in PostgreSQL, so
 * every server process shares the count: the row lock serializes concurrent requests of one token, and the window
 * starts again when the stored one is over (docs/design.md#the-public-api).
 */
export async function hitRateLimit(db: Db, tokenId: string, limit: number, windowMs: number, now: Date = new Date()): Promise<RateVerdict> {
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(apiRateLimits)
    .values({ tokenId, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: apiRateLimits.tokenId,
      set: {
        count: sql`case when ${apiRateLimits.windowStart} = excluded.window_start then ${apiRateLimits.count} + 1 else 1 end`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: apiRateLimits.count });
  const count = row!.count;
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds };
}
