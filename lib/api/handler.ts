import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { z } from 'zod';
import { type Db, getDb } from '@/db/index';
import type { AuditContext } from '@/lib/audit';
import { roleAllows } from '@/lib/auth/policy';
import { contextFromHeaders } from '@/lib/request-context';
import { readSettings } from '@/lib/settings';
import { authenticateToken, type TokenPrincipal, touchToken } from '@/lib/tokens';
import { ApiError, errorBody, issuesOf, toApiError } from './errors';
import { type ApiAnswer, IDEMPOTENCY_KEY, onceAround, onceInTransaction, requestHash } from './idempotency';
import { isWrite, type Operation } from './operation';
import { hitRateLimit } from './rate-limit';

export interface ApiContext<P, Q, B> extends TokenPrincipal {
  /** The database; inside the Idempotency-Key's transaction for `idempotency: 'transaction'` operations. */
  db: Db;
  params: P;
  query: Q;
  body: B;
  /** Request id, source address and the token: every audit row written for this request carries the token's id. */
  audit: AuditContext;
}

const REFUSED: Record<string, string> = {
  missing: 'Send an API token as `Authorization: Bearer <token>` (make one on your account page).',
  unknown: 'This API token is not known: check it was copied whole, or make a new one on your account page.',
  revoked: 'This API token was revoked: make a new one on your account page.',
  expired: 'This API token has expired: make a new one on your account page.',
  owner_disabled: 'The account this API token belongs to can no longer use it: make a new one on your account page.',
};

function bearer(req: NextRequest): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '');
  return m ? m[1]! : null;
}

async function readBody(req: NextRequest): Promise<{ raw: string; json: unknown }> {
  const raw = await req.text();
  if (raw.trim() === '') return { raw, json: undefined };
  try {
    return { raw, json: JSON.parse(raw) };
  } catch {
    throw new ApiError('validation', 'The request body is not JSON.', [
      { field: 'body', rule: 'json', message: 'Send a JSON object with `Content-Type: application/json`.' },
    ]);
  }
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  if (!schema) return value as z.output<S>;
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError('validation', 'Some fields need attention.', issuesOf(r.error, where));
  return r.data;
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  const res = NextResponse.json(body, { status });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  // One caller's data: no browser or shared cache may keep it.
  res.headers.set('cache-control', 'no-store');
  return res;
}

/**
 * The one wrapper of every /api/v1 handler: a bearer token that counts (401), the per-token rate limit (429 with
 * Retry-After), the token's scope (403), the owner's role through the policy table (403), path, query and body parsed
 * with the operation's schemas (422), the Idempotency-Key on POST, and every error in the one body shape. Session
 * cookies are not accepted here: a token is the only way in, so a page cannot be made to call it cross-site.
 */
export function apiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  op: Operation<P, Q, B, R>,
  handler: (ctx: ApiContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R>>,
) {
  const run = async (req: NextRequest, segment: { params?: Promise<Record<string, string>> } = {}): Promise<Response> => {
    const { requestId, sourceIp } = contextFromHeaders(req.headers);
    const headers: Record<string, string> = {};
    try {
      const db = await getDb();
      const now = new Date();
      const principal = await authenticateToken(db, bearer(req), now);
      if (typeof principal === 'string') throw new ApiError('unauthenticated', REFUSED[principal]!, [], { 'www-authenticate': 'Bearer' });
      const settings = readSettings();
      const rate = await hitRateLimit(db, principal.token.id, settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_MS, now);
      headers['x-ratelimit-limit'] = String(rate.limit);
      headers['x-ratelimit-remaining'] = String(rate.remaining);
      if (!rate.allowed) {
        throw new ApiError(
          'rate_limited',
          `This token sent more than ${rate.limit} requests in ${settings.API_RATE_WINDOW_MS / 1000} seconds: wait ${rate.resetSeconds} s and try again.`,
          [],
          { 'retry-after': String(rate.resetSeconds) },
        );
      }
      await touchToken(db, principal.token.id, now);
      if (isWrite(op) && principal.token.scope !== 'write') {
        throw new ApiError('insufficient_scope', 'This token is read-only: make a token with the write scope to change cases.');
      }
      if (!roleAllows(principal.user.role, op.permission)) throw new ApiError('forbidden', 'Your role cannot do that.');
      const params = parse(op.params, (await segment.params) ?? {}, 'path');
      const query = parse(op.query, Object.fromEntries(req.nextUrl.searchParams), 'query');
      const { raw, json: rawBody } = op.method === 'GET' ? { raw: '', json: undefined } : await readBody(req);
      const body = parse(op.body, rawBody, 'body');
      const audit: AuditContext = { requestId, sourceIp, tokenId: principal.token.id };
      const work = async (workDb: Db): Promise<ApiAnswer> => ({
        status: op.status,
        body: await handler({ ...principal, db: workDb, params, query, body, audit }),
      });
      const key = req.headers.get('idempotency-key');
      if (key !== null && op.method === 'POST' && op.idempotency) {
        if (!IDEMPOTENCY_KEY.test(key)) {
          throw new ApiError('validation', 'The Idempotency-Key is not valid.', [
            {
              field: 'header.Idempotency-Key',
              rule: 'idempotency.format',
              message: 'Send 1 to 255 visible ASCII characters (a UUID is fine).',
            },
          ]);
        }
        const claim = { tokenId: principal.token.id, key, hash: requestHash(op.method, req.nextUrl.pathname, raw) };
        const answer =
          op.idempotency === 'transaction'
            ? await onceInTransaction(db, claim, (tx) => work(tx as unknown as Db))
            : await onceAround(db, claim, () => work(db), now);
        if (answer.replayed) headers['idempotent-replayed'] = 'true';
        return json(answer.status, answer.body, headers);
      }
      const answer = op.idempotency === 'transaction' ? await db.transaction((tx) => work(tx as unknown as Db)) : await work(db);
      return json(answer.status, answer.body, headers);
    } catch (err) {
      const e = toApiError(err, requestId);
      return json(e.status, errorBody(e.code, e.message, e.issues, requestId), { ...headers, ...e.headers });
    }
  };
  return Object.assign(run, { operation: op, permission: op.permission });
}
