import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db, Tx } from '@/db/index';
import { apiIdempotency } from '@/db/schema';
import { ApiError } from './errors';

/** What a handler answers: the status and the JSON body, stored as is for a repeat. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

// A claim taken outside the work's transaction that was never finished (the process died) is taken over after this.
const ABANDONED_MS = 5 * 60_000;

export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export function requestHash(method: string, path: string, rawBody: string): string {
  return createHash('sha256').update(`${method}\n${path}\n${rawBody}`, 'utf8').digest('hex');
}

type Row = typeof apiIdempotency.$inferSelect;

function replay(row: Row, hash: string): ApiAnswer & { replayed: true } {
  if (row.requestHash !== hash) {
    throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was used for another request: use a new key for each new request.', [
      { field: 'header.Idempotency-Key', rule: 'idempotency.reused', message: 'Send a new key (a UUID is fine) for a different request.' },
    ]);
  }
  if (row.status === null) {
    throw new ApiError(
      'idempotency_in_progress',
      'A request with this Idempotency-Key is still being handled: send it again in a moment to get its answer.',
      [],
      { 'retry-after': '1' },
    );
  }
  return { status: row.status, body: row.body, replayed: true };
}

/**
 * Do the work once per (token, key), with the key row written in the work's own transaction: a concurrent repeat
 * waits on the key's unique index until the first commits, then reads its answer. When the work fails nothing is
 * kept — neither its writes nor the key — so a repeat tries again (docs/design.md#the-public-api).
 */
export async function onceInTransaction(
  db: Db,
  claim: { tokenId: string; key: string; hash: string },
  work: (tx: Tx) => Promise<ApiAnswer>,
): Promise<ApiAnswer & { replayed?: true }> {
  return db.transaction(async (tx) => {
    const [mine] = await tx
      .insert(apiIdempotency)
      .values({ tokenId: claim.tokenId, key: claim.key, requestHash: claim.hash })
      .onConflictDoNothing()
      .returning({ key: apiIdempotency.key });
    if (!mine) {
      const [row] = await tx
        .select()
        .from(apiIdempotency)
        .where(and(eq(apiIdempotency.tokenId, claim.tokenId), eq(apiIdempotency.key, claim.key)));
      return replay(row!, claim.hash);
    }
    const answer = await work(tx);
    await tx
      .update(apiIdempotency)
      .set({ status: answer.status, body: answer.body })
      .where(and(eq(apiIdempotency.tokenId, claim.tokenId), eq(apiIdempotency.key, claim.key)));
    return answer;
  });
}

/**
 * The same promise for work that must not run inside one long transaction (it asks the edge account, with its own
 * transactions): the key is claimed first and committed, the answer stored after; a repeat meanwhile gets 409 with
 * Retry-After. Failed work releases the key.
 */
export async function onceAround(
  db: Db,
  claim: { tokenId: string; key: string; hash: string },
  work: () => Promise<ApiAnswer>,
  now: Date = new Date(),
): Promise<ApiAnswer & { replayed?: true }> {
  const where = and(eq(apiIdempotency.tokenId, claim.tokenId), eq(apiIdempotency.key, claim.key));
  const [mine] = await db
    .insert(apiIdempotency)
    .values({ tokenId: claim.tokenId, key: claim.key, requestHash: claim.hash, createdAt: now })
    .onConflictDoUpdate({
      target: [apiIdempotency.tokenId, apiIdempotency.key],
      // Only an abandoned claim is taken over; any other conflict leaves the row as it is (and returns nothing).
      set: { createdAt: now, requestHash: claim.hash },
      setWhere: and(
        eq(apiIdempotency.requestHash, claim.hash),
        isNull(apiIdempotency.status),
        lt(apiIdempotency.createdAt, new Date(now.getTime() - ABANDONED_MS)),
      ),
    })
    .returning({ status: apiIdempotency.status });
  if (!mine) {
    const [row] = await db.select().from(apiIdempotency).where(where);
    return replay(row!, claim.hash);
  }
  try {
    const answer = await work();
    await db.update(apiIdempotency).set({ status: answer.status, body: answer.body }).where(where);
    return answer;
  } catch (err) {
    await db.delete(apiIdempotency).where(where);
    throw err;
  }
}
