import 'server-only';
import { eq } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db/index';
import { users } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { publicError } from '@/lib/errors';
import { publicOrigin, safeCallbackPath } from '@/lib/public-url';
import { contextFromHeaders, requestContext } from '@/lib/request-context';
import { DEFAULT_OIDC_ROLE_MAP, parseRoleMap, roleForGroups } from './oidc';
import { endSessions, sessionAccount } from './session-account';
import { authenticate } from './sign-in';
import type { Role } from '@/lib/domain/roles';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; role: Role; workspaceId: string | null };
  }
  interface User {
    role?: Role;
    workspaceId?: string | null;
    sessionGeneration?: number;
    groups?: unknown;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
    workspaceId?: string | null;
    // The account's session generation when the token was issued (lib/auth/session-account.ts).
    gen?: number;
  }
}

/**
 * The session cookie: HttpOnly, SameSite=Lax always; Secure with the __Secure- prefix whenever the portal's public URL
 * is HTTPS (behind TLS), as next-auth would, but stated here so a test can hold it.
 */
export function sessionCookie(publicUrl: string | undefined) {
  const secure = (publicUrl ?? '').startsWith('https://');
  return {
    name: `${secure ? '__Secure-' : ''}next-auth.session-token`,
    options: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure },
  };
}

export function oidcEnabled(): boolean {
  return Boolean(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
}

function oidcProvider(): OAuthConfig<Record<string, unknown>> {
  const issuer = process.env.OIDC_ISSUER!.replace(/\/+$/, '');
  const claim = process.env.OIDC_GROUPS_CLAIM || 'groups';
  return {
    id: 'oidc',
    name: 'Staff SSO',
    type: 'oauth',
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: process.env.OIDC_CLIENT_ID,
    clientSecret: process.env.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: process.env.OIDC_SCOPE || 'openid email profile groups' } },
    idToken: true,
    // The ID token's signature (the issuer's JWKS), `iss`, `aud`, expiry and `nonce` are checked by openid-client;
    // the nonce only when asked for here (docs/threat-model.md#staff-single-sign-on).
    checks: ['pkce', 'state', 'nonce'],
    profile(profile) {
      const email = String(profile.email ?? '').toLowerCase();
      return { id: String(profile.sub), email, name: String(profile.name ?? email), groups: profile[claim] };
    },
  };
}

/** Why an SSO sign-in was refused; each has its own sentence on the sign-in page (`/signin?error=sso_<reason>`). */
export type SsoRefusal = 'no_email' | 'no_role' | 'customer' | 'disabled';

type SsoOutcome = { ok: true; id: string; role: Role; sessionGeneration: number } | { ok: false; reason: SsoRefusal };

/**
 * Create or update the staff user an SSO sign-in maps to, or refuse it; every outcome is audited in the same
 * transaction, as the password path does. The IdP decides the role at every sign-in: a new role ends the sessions
 * issued under the old one, and a known staff account whose groups no longer map to a role is refused and its
 * sessions are ended, so what the IdP took away stops working at once (docs/threat-model.md#staff-single-sign-on).
 */
async function upsertSsoUser(
  profile: { email?: string | null; name?: string | null; groups?: unknown },
  context: AuditContext,
): Promise<SsoOutcome> {
  const role = roleForGroups(profile.groups, parseRoleMap(process.env.OIDC_ROLE_MAP || DEFAULT_OIDC_ROLE_MAP));
  const email = profile.email?.trim().toLowerCase() || null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = email
      ? await tx
          .select({
            id: users.id,
            role: users.role,
            disabled: users.disabled,
            workspaceId: users.workspaceId,
            sessionGeneration: users.sessionGeneration,
          })
          .from(users)
          .where(eq(users.email, email))
          .for('update')
      : [];
    const refuse = async (reason: SsoRefusal): Promise<SsoOutcome> => {
      await writeAudit(tx, {
        actor: { id: existing?.id ?? null, email, role: existing?.role ?? 'anonymous' },
        action: 'auth.sign_in_refused',
        targetType: 'user',
        targetId: existing?.id ?? null,
        workspaceId: existing?.workspaceId ?? null,
        after: { method: 'sso', reason, groups: Array.isArray(profile.groups) ? profile.groups.map(String) : [] },
        context,
      });
      return { ok: false, reason };
    };
    if (!email) return refuse('no_email');
    // An SSO identity never takes over a customer account (customers sign in with a password), whatever its groups.
    if (existing?.workspaceId) return refuse('customer');
    if (existing?.disabled) return refuse('disabled');
    if (!role) {
      if (existing) await endSessions(tx, existing.id);
      return refuse('no_role');
    }
    let user: { id: string; sessionGeneration: number };
    if (existing) {
      user = existing;
      if (existing.role !== role) {
        // A new role ends the sessions issued under the old one.
        user = { id: existing.id, sessionGeneration: existing.sessionGeneration + 1 };
        await tx
          .update(users)
          .set({ role, sessionGeneration: user.sessionGeneration, updatedAt: new Date() })
          .where(eq(users.id, existing.id));
        await writeAudit(tx, {
          actor: { id: existing.id, email, role },
          action: 'user.role_changed_by_sso',
          targetType: 'user',
          targetId: existing.id,
          before: { role: existing.role },
          after: { role },
          context,
        });
      }
    } else {
      const [created] = await tx
        .insert(users)
        .values({ email, name: profile.name || email, role })
        .returning({ id: users.id, sessionGeneration: users.sessionGeneration });
      user = created!;
      await writeAudit(tx, {
        actor: { id: user.id, email, role },
        action: 'user.created_by_sso',
        targetType: 'user',
        targetId: user.id,
        after: { email, role },
        context,
      });
    }
    await writeAudit(tx, {
      actor: { id: user.id, email, role },
      action: 'auth.sign_in',
      targetType: 'user',
      targetId: user.id,
      after: { method: 'sso' },
      context,
    });
    return { ok: true, id: user.id, role, sessionGeneration: user.sessionGeneration };
  });
}

/**
 * Audit a single sign-on whose answer from the IdP did not verify (signature, `iss`, `aud`, `nonce`, `state`, a used
 * code): no identity is known, so the row records what openid-client said. next-auth's logger is synchronous, so the
 * row is written after the refusal is answered; a failure to write it is logged, never shown.
 */
async function auditSsoCallbackFailure(metadata: unknown): Promise<void> {
  const error = (metadata as { error?: { message?: unknown } } | undefined)?.error;
  const detail = typeof error?.message === 'string' ? error.message.slice(0, 300) : 'unknown';
  const context = await requestContext();
  const db = await getDb();
  await writeAudit(db, {
    actor: { id: null, email: null, role: 'anonymous' },
    action: 'auth.sign_in_refused',
    targetType: 'user',
    after: { method: 'sso', reason: 'unverified_idp_answer', detail },
    context,
  });
}

export const authOptions: NextAuthOptions = {
  logger: {
    error(code, metadata) {
      console.error(`[next-auth][error][${code}]`, metadata);
      if (code === 'OAUTH_CALLBACK_ERROR') {
        auditSsoCallbackFailure(metadata).catch((err: unknown) => console.error('[auth] could not audit a refused SSO sign-in', err));
      }
    },
  },
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  cookies: { sessionToken: sessionCookie(process.env.NEXTAUTH_URL) },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const context = contextFromHeaders(req.headers ?? {});
        // next-auth hands the thrown message back to the sign-in form as `error`: only messages meant for it, never
        // a driver's (which would show SQL and the database's address during an outage).
        const result = await getDb()
          .then((db) => authenticate(db, credentials ?? {}, context))
          .catch((err: unknown) => {
            throw new Error(publicError(err, context.requestId).message);
          });
        if (!result.ok) throw new Error(result.message);
        return {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          role: result.user.role,
          workspaceId: result.user.workspaceId,
          sessionGeneration: result.user.sessionGeneration,
        };
      },
    }),
    ...(oidcEnabled() ? [oidcProvider()] : []),
  ],
  callbacks: {
    // next-auth's default accepts any URL starting with "/", which `/\evil.example` does; only same-origin paths pass.
    async redirect({ url }) {
      const origin = publicOrigin();
      return `${origin}${safeCallbackPath(url, origin)}`;
    },
    async signIn({ user, account }) {
      if (account?.provider !== 'oidc') return true;
      const mapped = await upsertSsoUser(user, await requestContext());
      if (!mapped.ok) return `/signin?error=sso_${mapped.reason}`;
      user.id = mapped.id;
      user.role = mapped.role;
      user.workspaceId = null;
      user.sessionGeneration = mapped.sessionGeneration;
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.workspaceId = user.workspaceId ?? null;
        token.gen = user.sessionGeneration ?? 0;
        return token;
      }
      // /api/auth/session re-signs the token it is shown: an ended session (signed out, disabled, role changed) must
      // not be renewed. Throwing makes next-auth answer with no session and clear the cookie.
      const account = await sessionAccount(await getDb(), token);
      if (!account) throw new Error('This session has ended.');
      return token;
    },
    async session({ session, token }) {
      if (token.uid && token.role) {
        session.user = {
          id: token.uid,
          email: token.email ?? '',
          name: token.name ?? '',
          role: token.role,
          workspaceId: token.workspaceId ?? null,
        };
      }
      return session;
    },
  },
  events: {
    // Signing out ends the session on the server too: the generation moves on, so a copy of the cookie taken before
    // no longer works. Only a token that still counted can do that (an old copy cannot sign its owner out again).
    async signOut({ token }) {
      if (!token?.uid || typeof token.gen !== 'number') return;
      const db = await getDb();
      const context = await requestContext();
      await db.transaction(async (tx) => {
        const ended = await endSessions(tx, token.uid!, token.gen);
        if (!ended) return;
        await writeAudit(tx, {
          actor: { id: token.uid!, email: token.email ?? null, role: token.role ?? 'unknown' },
          action: 'auth.sign_out',
          targetType: 'user',
          targetId: token.uid!,
          workspaceId: token.workspaceId ?? null,
          context,
        });
      });
    },
  },
};
