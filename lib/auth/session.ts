import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db/index';
import { sessionCookie } from './options';
import { type Action, roleAllows } from './policy';
import { type SessionClaims, type SessionUser, sessionAccount } from './session-account';

export type { SessionUser };

/**
 * The signed-in user of this request, or null when signed out, disabled or the session was ended. Reads the session
 * cookie itself (next-auth's getServerSession would turn a database outage into "signed out").
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const cookie = (await cookies()).get(sessionCookie(process.env.NEXTAUTH_URL).name)?.value;
  if (!cookie) return null;
  const claims = await decode({ token: cookie, secret: process.env.NEXTAUTH_SECRET ?? '' }).catch(() => null);
  if (!claims) return null;
  return sessionAccount(await getDb(), claims as SessionClaims);
});

/** For pages: the user, or a redirect to sign-in; with an action, the 403 page when the role may not do it. */
export async function requirePageUser(action?: Action): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/signin');
  if (action && !roleAllows(user.role, action)) forbidden();
  return user;
}
