import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { type Db, getDb } from '@/db/index';
import { type AppError, type FieldErrors, fieldErrorsOf, forbiddenError, HTTP_STATUS, publicError } from '@/lib/errors';
import { publicOrigin } from '@/lib/public-url';
import { requestContext } from '@/lib/request-context';
import { type Action, roleAllows } from './policy';
import { currentUser, type SessionUser } from './session';

// The error mapping lives in lib/errors.ts (next-auth's options use it too); callers know it as part of the guard.
export { isDatabaseUnavailable } from '@/lib/errors';

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors: FieldErrors; code: AppError['kind'] | 'unauthenticated' };

export interface ActionContext {
  user: SessionUser;
  db: Db;
  requestId: string | null;
  sourceIp: string | null;
}

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue; // React's own fields
    if (typeof value !== 'string') continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * The one wrapper every server action goes through: signed in, role allowed (lib/auth/policy.ts), input parsed with
 * zod, errors mapped to values. Works with plain objects and with `<form action>` / useActionState (prev, FormData).
 */
export function action<S extends z.ZodType, T>(
  schema: S,
  opts: { permission: Action },
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
) {
  const run = async (...args: [unknown] | [unknown, unknown]): Promise<ActionResult<T>> => {
    const raw = args.length === 2 ? args[1] : args[0];
    const { requestId, sourceIp } = await requestContext();
    try {
      const user = await currentUser();
      if (!user) return { ok: false, message: 'Your session has ended. Sign in again.', fieldErrors: {}, code: 'unauthenticated' };
      if (!roleAllows(user.role, opts.permission)) throw forbiddenError();
      const parsed = schema.safeParse(raw instanceof FormData ? formDataToObject(raw) : raw);
      if (!parsed.success) {
        return { ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error), code: 'validation' };
      }
      const db = await getDb();
      return { ok: true, data: await handler(parsed.data, { user, db, requestId, sourceIp }) };
    } catch (err) {
      unstable_rethrow(err); // redirect(), notFound() and friends are control flow, not errors
      const e = publicError(err, requestId);
      return { ok: false, message: e.message, fieldErrors: e.fieldErrors, code: e.kind };
    }
  };
  return Object.assign(run, { permission: opts.permission });
}

/** One mapping of errors to JSON responses for route handlers (docs/design.md#authorization-and-conventions). */
export function toErrorResponse(err: unknown, requestId: string | null = null): NextResponse {
  const e = publicError(err, requestId);
  return NextResponse.json({ error: e.message, fieldErrors: e.fieldErrors }, { status: HTTP_STATUS[e.kind] });
}

/**
 * CSRF defence for cookie-authenticated route handlers: a mutating request that says where it comes from must come
 * from this portal — scheme, host and port equal to the configured public URL (lib/public-url.ts), never compared with
 * the Host or X-Forwarded-Host headers, which the client writes. Browsers always send Origin on cross-site POSTs; the
 * session cookie is also SameSite=Lax.
 */
export function sameOrigin(req: { method: string; headers: Headers }, own: string = publicOrigin()): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
  const origin = req.headers.get('origin');
  return origin === null || origin === own;
}

interface RouteContext<P, Q> extends ActionContext {
  params: P;
  query: Q;
}

/**
 * The one wrapper every authenticated route handler goes through: same origin (403), signed in (401), role allowed
 * (403), params and query parsed (422), errors mapped (toErrorResponse). Every answer is `Cache-Control: no-store`: it
 * is one user's data, which no browser or shared cache may keep.
 */
export function route<P extends z.ZodType = z.ZodType<Record<string, never>>, Q extends z.ZodType = z.ZodType<Record<string, never>>>(
  opts: { permission: Action; params?: P; query?: Q },
  handler: (req: NextRequest, ctx: RouteContext<z.output<P>, z.output<Q>>) => Promise<Response>,
) {
  const handle = async (req: NextRequest, segment: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const { requestId, sourceIp } = await requestContext();
    try {
      if (!sameOrigin(req)) {
        return NextResponse.json({ error: 'Cross-site requests are refused.' }, { status: 403 });
      }
      const user = await currentUser();
      if (!user) return NextResponse.json({ error: 'Sign in to use this endpoint.' }, { status: 401 });
      if (!roleAllows(user.role, opts.permission)) throw forbiddenError();
      const params = (opts.params ?? z.object({})).safeParse((await segment.params) ?? {});
      const query = (opts.query ?? z.object({})).safeParse(Object.fromEntries(req.nextUrl.searchParams));
      if (!params.success || !query.success) {
        const fieldErrors = {
          ...(params.success ? {} : fieldErrorsOf(params.error)),
          ...(query.success ? {} : fieldErrorsOf(query.error)),
        };
        return NextResponse.json({ error: 'Some parameters are not valid.', fieldErrors }, { status: 422 });
      }
      const db = await getDb();
      return await handler(req, { user, db, requestId, sourceIp, params: params.data as z.output<P>, query: query.data as z.output<Q> });
    } catch (err) {
      return toErrorResponse(err, requestId);
    }
  };
  const run = async (req: NextRequest, segment: { params?: Promise<Record<string, string>> } = {}): Promise<Response> => {
    const res = await handle(req, segment);
    res.headers.set('cache-control', 'no-store');
    return res;
  };
  return Object.assign(run, { permission: opts.permission });
}
