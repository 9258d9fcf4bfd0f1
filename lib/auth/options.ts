import 'server-only';
import { eq } from 'drizzle-orm';
import type { NextAuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db/index';
import { users } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { contextFromHeaders } from '@/lib/request-context';
import { DEFAULT_OIDC_ROLE_MAP, parseRoleMap, roleForGroups } from './oidc';
import { authenticate } from './sign-in';
import type { Role } from '@/lib/domain/roles';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; role: Role; workspaceId: string | null };
  }
  interface User {
    role?: Role;
    workspaceId?: string | null;
    groups?: unknown;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
    workspaceId?: string | null;
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
    checks: ['pkce', 'state'],
    profile(profile) {
      const email = String(profile.email ?? '').toLowerCase();
      return { id: String(profile.sub), email, name: String(profile.name ?? email), groups: profile[claim] };
    },
  };
}

/** Create or update the staff user an SSO sign-in maps to; returns its id, or null when no group grants a role. */
async function upsertSsoUser(profile: { email?: string | null; name?: string | null; groups?: unknown }) {
  const role = roleForGroups(profile.groups, parseRoleMap(process.env.OIDC_ROLE_MAP || DEFAULT_OIDC_ROLE_MAP));
  const email = profile.email?.toLowerCase();
  if (!role || !email) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id, role: users.role, disabled: users.disabled, workspaceId: users.workspaceId })
      .from(users)
      .where(eq(users.email, email))
      .for('update');
    // An SSO identity never takes over a customer account or a disabled one.
    if (existing && (existing.disabled || existing.workspaceId)) return null;
    if (existing) {
      if (existing.role !== role) {
        await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, existing.id));
        await writeAudit(tx, {
          actor: { id: existing.id, email, role },
          action: 'user.role_changed_by_sso',
          targetType: 'user',
          targetId: existing.id,
          before: { role: existing.role },
          after: { role },
        });
      }
      return { id: existing.id, role };
    }
    const [created] = await tx
      .insert(users)
      .values({ email, name: profile.name || email, role })
      .returning({ id: users.id });
    await writeAudit(tx, {
      actor: { id: created!.id, email, role },
      action: 'user.created_by_sso',
      targetType: 'user',
      targetId: created!.id,
      after: { email, role },
    });
    return { id: created!.id, role };
  });
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  cookies: { sessionToken: sessionCookie(process.env.NEXTAUTH_URL) },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const db = await getDb();
        const result = await authenticate(db, credentials ?? {}, contextFromHeaders(req.headers ?? {}));
        // next-auth hands the thrown message back to the sign-in form as `error`.
        if (!result.ok) throw new Error(result.message);
        return {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          role: result.user.role,
          workspaceId: result.user.workspaceId,
        };
      },
    }),
    ...(oidcEnabled() ? [oidcProvider()] : []),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== 'oidc') return true;
      const mapped = await upsertSsoUser(user);
      if (!mapped) return '/signin?error=sso_no_role';
      user.id = mapped.id;
      user.role = mapped.role;
      user.workspaceId = null;
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.workspaceId = user.workspaceId ?? null;
      }
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
    async signOut({ token }) {
      if (!token?.uid) return;
      const db = await getDb();
      await writeAudit(db, {
        actor: { id: token.uid, email: token.email ?? null, role: token.role ?? 'unknown' },
        action: 'auth.sign_out',
        targetType: 'user',
        targetId: token.uid,
        workspaceId: token.workspaceId ?? null,
      });
    },
  },
};
