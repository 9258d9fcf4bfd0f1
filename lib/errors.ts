/** Typed application errors; route handlers and server actions map them to 4xx results (lib/auth/guard.ts). */
export type FieldErrors = Record<string, string[]>;

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

export const validationError = (message: string, fieldErrors: FieldErrors = {}) =>
  new AppError('validation', message, fieldErrors);
export const forbiddenError = (message = 'You do not have permission to do that.') => new AppError('forbidden', message);
export const notFoundError = (message = 'Not found.') => new AppError('not_found', message);
export const conflictError = (message: string) => new AppError('conflict', message);

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
