/**
 * The one error body of the public API (docs/design.md#the-public-api):
 * `{ "error": { "code", "message", "issues": [{ "field", "rule", "message" }], "requestId" } }`. `message` says what
 * happened and what to do; each issue names the field, the rule it breaks and, in its message, the fix.
 */
import { z } from 'zod';
import { CaseError } from '@/lib/cases/service';
import { publicError } from '@/lib/errors';
import { issuesFromZod } from '@/lib/validation/zod';

export const ERROR_CODES = [
  'unauthenticated',
  'insufficient_scope',
  'forbidden',
  'not_found',
  'conflict',
  'limit',
  'validation',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiIssueSchema = z.object({
  field: z.string().meta({ description: 'The field, as a dotted path in the request (`_request` for the whole request).' }),
  rule: z.string().meta({ description: 'A machine id of the rule the value breaks.' }),
  message: z.string().meta({ description: 'What is wrong and how to fix it, in one sentence.' }),
});
export type ApiIssue = z.infer<typeof apiIssueSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      issues: z.array(apiIssueSchema),
      requestId: z.string().nullable(),
    }),
  })
  .meta({ id: 'Error' });

const STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  insufficient_scope: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit: 409,
  idempotency_in_progress: 409,
  validation: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** An API error response: the status follows from the code. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, issues: ApiIssue[], requestId: string | null) {
  return { error: { code, message, issues, requestId } };
}

/** zod issues at the door → API issues, each path prefixed with where it came from (`body`, `query`, `path`). */
export function issuesOf(error: z.ZodError, where: string): ApiIssue[] {
  return issuesFromZod(error.issues, [where]);
}

/** Any error → ApiError: the services' errors keep their message and fields; an unexpected one is logged, never echoed. */
export function toApiError(err: unknown, requestId: string | null): ApiError {
  if (err instanceof ApiError) return err;
  const e = publicError(err, requestId);
  const rule = err instanceof CaseError ? err.reason : e.kind;
  const issues = Object.entries(e.fieldErrors).flatMap(([field, messages]) => messages.map((message) => ({ field, rule, message })));
  const code: ErrorCode = e.kind === 'unauthenticated' ? 'unauthenticated' : e.kind;
  return new ApiError(code, e.message, issues);
}
