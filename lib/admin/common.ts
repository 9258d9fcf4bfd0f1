import 'server-only';
import type { z } from 'zod';
import type { AuditActor } from '@/lib/audit';
import { type Action, roleAllows } from '@/lib/auth/policy';
import { fieldErrorsOf, forbiddenError, validationError } from '@/lib/errors';
import type { Role } from '@/lib/domain/roles';

/** Who performs an admin operation (the signed-in user). */
export interface AdminActor {
  id: string;
  email?: string | null;
  role: Role;
}

export function auditActorOf(actor: AdminActor): AuditActor {
  return { id: actor.id, email: actor.email ?? null, role: actor.role };
}

/** The policy again, next to the data: the services refuse callers the server actions would have refused. */
export function assertAllowed(actor: AdminActor, action: Action): void {
  if (!roleAllows(actor.role, action)) throw forbiddenError();
}

/** Parse with zod; a refusal names each field and its rule (422), never a 500. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError('Some fields need attention.', fieldErrorsOf(parsed.error));
}

/** A PostgreSQL unique violation (23505), optionally on one constraint, wherever the driver wrapped it. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, constraint: name, message } = e as { code?: string; constraint?: string; message?: string };
    if (code === '23505') return !constraint || name === constraint || Boolean(message?.includes(constraint));
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
