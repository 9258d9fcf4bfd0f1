import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db/index';
import { sessionCookie } from './options';
import { type Action, roleAllows } from './policy';
import { type SessionClaims, type SessionFrame, type SessionUser, sessionAccount, sessionFrame } from './session-account';

export type { SessionFrame, SessionUser };

/** This request's session claims, if its cookie holds a valid session token (decoded once per request). */
const sessionClaims = cache(async (): Promise<SessionClaims | null> => {
  const cookie = (await cookies()).get(sessionCookie(process.env.NEXTAUTH_URL).name)?.value;
  if (!cookie) return null;
  return (await decode({ token: cookie, secret: process.env.NEXTAUTH_SECRET ?? '' }).catch(() => null)) as SessionClaims | null;
});

/**
 * The signed-in user of this request, or null when signed out, disabled or the session was ended. Reads the session
 * cookie itself (next-auth's getServerSession would turn a database outage into "signed out").
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const claims = await sessionClaims();
  return claims ? sessionAccount(await getDb(), claims) : null;
});

/**
 * For portal pages: the user with what the portal frame shows (workspace name, notifications badge), read in one
 * statement and shared by the layout and the page of the request; a redirect to sign-in when signed out.
 */
export const requirePageFrame = cache(async (): Promise<SessionFrame> => {
  const claims = await sessionClaims();
  const frame = claims ? await sessionFrame(await getDb(), claims) : null;
  if (!frame) redirect('/signin');
  return frame;
});

/** For pages: the user, or a redirect to sign-in; with an action, the 403 page when the role may not do it. */
export async function requirePageUser(action?: Action): Promise<SessionUser> {
  const { user } = await requirePageFrame();
  if (action && !roleAllows(user.role, action)) forbidden();
  return user;
}
