import 'server-only';
import { eq } from 'drizzle-orm';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db/index';
import { users } from '@/db/schema';
import { authOptions } from './options';
import { type Action, roleAllows } from './policy';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: (typeof users.$inferSelect)['role'];
  workspaceId: string | null;
}

/**
 * The signed-in user, re-read from the database on every request so that a disabled account or a changed role takes
 * effect at once (the JWT alone would keep its old claims for hours). Null when signed out or disabled.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      workspaceId: users.workspaceId,
      disabled: users.disabled,
    })
    .from(users)
    .where(eq(users.id, id));
  if (!row || row.disabled) return null;
  const { disabled: _disabled, ...user } = row;
  return user;
});

/** For pages: the user, or a redirect to sign-in; with an action, the 403 page when the role may not do it. */
export async function requirePageUser(action?: Action): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/signin');
  if (action && !roleAllows(user.role, action)) forbidden();
  return user;
}
