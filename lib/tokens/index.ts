/**
 * API tokens (docs/design.md#the-public-api): made by a signed-in person for themselves, shown once, kept only as the
 * SHA-256 of the token's 256 random bits, listed with their last use, revocable. A token acts as its owner — the
 * owner's current role, workspace and enabled state, read on every use — narrowed by its scope.
 */
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/index';
import { type ApiToken, apiTokens, users } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { roleAllows } from '@/lib/auth/policy';
import type { SessionUser } from '@/lib/auth/session-account';
import { forbiddenError, notFoundError, validationError } from '@/lib/errors';
import { safeText } from '@/lib/validation/text';
import { TOKEN_SCOPES } from './scopes';

const DAY_MS = 86_400_000;
/** The longest a token may live: a year (366 days, so "a year from today" is always accepted). */
export const MAX_TOKEN_DAYS = 366;
const TOKEN_PREFIX = 'plp_';

export const createTokenSchema = z.object({
  name: safeText({ bidi: true })
    .trim()
    .min(1, 'Give the token a name, such as the script or pipeline that uses it.')
    .max(80, 'Keep the name under 80 characters.'),
  scope: z.enum(TOKEN_SCOPES, { error: 'Choose read (looks only) or write (also creates and changes cases).' }),
  expiresAt: z.iso.date({ error: 'Choose the day the token expires (YYYY-MM-DD), at most a year from today.' }),
});

export const revokeTokenSchema = z.object({ id: z.string().uuid('That is not a token id.') });

/** The columns of a token anyone may see: never its hash. */
const listColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  scope: apiTokens.scope,
  prefix: apiTokens.prefix,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};
export type TokenListing = Pick<ApiToken, keyof typeof listColumns>;

/** SHA-256, hex: the only form a token is stored in (docs/threat-model.md#api-tokens says why a fast hash is enough). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The expiry the person chose, as the end of that UTC day; a refusal naming the rule when outside (today, a year]. */
export function expiryFrom(day: string, now: Date): Date | { message: string } {
  const end = new Date(`${day}T23:59:59.999Z`);
  if (Number.isNaN(end.getTime())) return { message: 'Choose a real day (YYYY-MM-DD).' };
  if (end.getTime() <= now.getTime()) return { message: 'The expiry must be after today: choose a later day.' };
  if (end.getTime() - now.getTime() > MAX_TOKEN_DAYS * DAY_MS) {
    return { message: 'A token lives at most a year: choose a day within a year from today.' };
  }
  return end;
}

/** Make a token for the signed-in person; the token text is returned this once and never again. */
export async function createToken(
  db: Db,
  user: SessionUser,
  input: z.input<typeof createTokenSchema>,
  context: AuditContext = {},
  now: Date = new Date(),
): Promise<{ token: string; listing: TokenListing }> {
  if (!roleAllows(user.role, 'token.manage')) throw forbiddenError('Your role cannot make API tokens.');
  const parsed = createTokenSchema.parse(input);
  const expiresAt = expiryFrom(parsed.expiresAt, now);
  if (!(expiresAt instanceof Date)) throw validationError('Some fields need attention.', { expiresAt: [expiresAt.message] });
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: user.id,
        workspaceId: user.workspaceId,
        name: parsed.name,
        scope: parsed.scope,
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        expiresAt,
        createdAt: now,
      })
      .returning(listColumns);
    await writeAudit(tx, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'token.create',
      targetType: 'api_token',
      targetId: row!.id,
      workspaceId: user.workspaceId,
      after: { name: parsed.name, scope: parsed.scope, expiresAt: expiresAt.toISOString() },
      context,
    });
    return { token, listing: row! };
  });
}

/** The person's own tokens, newest first (revoked ones too, so the list shows what happened). */
export async function listTokens(db: Db, user: Pick<SessionUser, 'id'>): Promise<TokenListing[]> {
  return db.select(listColumns).from(apiTokens).where(eq(apiTokens.userId, user.id)).orderBy(desc(apiTokens.createdAt)).limit(100);
}

/** Revoke one of the person's own tokens; refused at once on its next use. Revoking twice changes nothing. */
export async function revokeToken(
  db: Db,
  user: SessionUser,
  input: z.input<typeof revokeTokenSchema>,
  context: AuditContext = {},
  now: Date = new Date(),
): Promise<void> {
  if (!roleAllows(user.role, 'token.manage')) throw forbiddenError('Your role cannot manage API tokens.');
  const { id } = revokeTokenSchema.parse(input);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt, name: apiTokens.name })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, user.id)))
      .for('update');
    if (!row) throw notFoundError('You have no such token.');
    if (row.revokedAt) return;
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, id));
    await writeAudit(tx, {
      actor: { id: user.id, email: user.email, role: user.role },
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: id,
      workspaceId: user.workspaceId,
      before: { name: row.name },
      after: { revokedAt: now.toISOString() },
      context,
    });
  });
}

export type TokenRefusal = 'missing' | 'unknown' | 'revoked' | 'expired' | 'owner_disabled';

export interface TokenPrincipal {
  token: Pick<ApiToken, 'id' | 'scope' | 'name' | 'expiresAt'>;
  user: SessionUser;
}

/**
 * The token's owner as they are now, or why the token does not count. Looked up by its hash (one indexed read): an
 * expired, revoked or disabled owner's token is refused on the request after it happened, with no cache in between.
 */
export async function authenticateToken(db: Db, token: string | null, now: Date = new Date()): Promise<TokenPrincipal | TokenRefusal> {
  if (!token) return 'missing';
  const [row] = await db
    .select({
      id: apiTokens.id,
      scope: apiTokens.scope,
      name: apiTokens.name,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      tokenWorkspace: apiTokens.workspaceId,
      userId: users.id,
      email: users.email,
      userName: users.name,
      role: users.role,
      workspaceId: users.workspaceId,
      disabled: users.disabled,
    })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row) return 'unknown';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  // A person moved to another workspace (or out of the customer roles) leaves their tokens behind.
  if (row.disabled || row.tokenWorkspace !== row.workspaceId) return 'owner_disabled';
  return {
    token: { id: row.id, scope: row.scope, name: row.name, expiresAt: row.expiresAt },
    user: { id: row.userId, email: row.email, name: row.userName, role: row.role, workspaceId: row.workspaceId },
  };
}

/** Note a token's use (the list shows it). One small write; the rate limit's own write happens next to it. */
export async function touchToken(db: Db, tokenId: string, now: Date = new Date()): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
}
