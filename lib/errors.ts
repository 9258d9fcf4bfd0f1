/** Typed application errors; route handlers and server actions map them to 4xx results (lib/auth/guard.ts). */
import type { z } from 'zod';

export type FieldErrors = Record<string, string[]>;

/** Messages grouped by field: the one way field errors are built, from any list of (field, message). */
export function fieldErrorsFrom(issues: Iterable<{ field: string; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const { field, message } of issues) out[field] = [...(out[field] ?? []), message];
  return out;
}

/** zod issues → { field: [messages] } keyed by the dotted path (`_form` for the whole input); `skip` drops leading path parts. */
export function fieldErrorsOf(error: z.ZodError, skip = 0): FieldErrors {
  return fieldErrorsFrom(
    error.issues.map((i) => ({ field: i.path.slice(skip).join('.') || String(i.path[0] ?? '_form'), message: i.message })),
  );
}

export class AppError extends Error {
  constructor(
    readonly kind: 'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'limit' | 'unavailable' | 'internal',
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationError = (message: string, fieldErrors: FieldErrors = {}) => new AppError('validation', message, fieldErrors);
export const forbiddenError = (message = 'You do not have permission to do that.') => new AppError('forbidden', message);
export const notFoundError = (message = 'Not found.') => new AppError('not_found', message);

export const HTTP_STATUS: Record<AppError['kind'], number> = {
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit: 409,
  unavailable: 503,
  internal: 500,
};

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Postgres / network errors meaning "the database is not there right now". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: string }).code;
    if (
      code &&
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'ETIMEDOUT',
        'ENOTFOUND',
        'EPIPE',
        '57P01',
        '57P02',
        '57P03',
        '08000',
        '08001',
        '08003',
        '08006',
      ].includes(code)
    )
      return true;
    if (/Connection terminated|timeout exceeded when trying to connect/i.test((e as Error).message ?? '')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Map any error to a client-safe message; unexpected ones are logged with the request id and never echoed. */
export function publicError(err: unknown, requestId: string | null): AppError {
  if (isAppError(err)) return err;
  if (isDatabaseUnavailable(err)) {
    return new AppError('unavailable', 'The database is not answering right now. Nothing was changed; try again in a moment.');
  }
  console.error(`[error] request ${requestId ?? '-'}:`, err);
  return new AppError(
    'internal',
    `Something went wrong on our side and nothing was changed. Quote request ${requestId ?? 'id unknown'} if you contact support.`,
  );
}
