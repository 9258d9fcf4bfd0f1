import type { z } from 'zod';
import type { Action } from '@/lib/auth/policy';

/**
 * One operation of the public API, declared once: the route handler runs it (lib/api/handler.ts) and the OpenAPI
 * document describes it (lib/api/openapi.ts) from the same schemas.
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  /** OpenAPI path under /api/v1, with {params}. */
  path: string;
  summary: string;
  description: string;
  /** The policy action (lib/auth/policy.ts) the token's owner's role must hold. */
  permission: Action;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status: 200 | 201;
  /**
   * POST only. `transaction`: the Idempotency-Key row is written in the work's own transaction (the work gets that
   * transaction as its database). `around`: the key is claimed before and answered after (work that asks the edge
   * account and opens its own transactions).
   */
  idempotency?: 'transaction' | 'around';
}

/** Declare an operation, keeping its schemas' types. */
export function operation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  op: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return op;
}

/** Whether the operation changes something: a read-scoped token may not call it. */
export function isWrite(op: Pick<Operation, 'method'>): boolean {
  return op.method !== 'GET';
}
