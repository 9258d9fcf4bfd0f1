import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/index';
import { users, workspaces } from '@/db/schema';

/** Every user, without password hashes (admin view). */
export async function listUsers() {
  const db = await getDb();
  return db.select({
    id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled,
    lastSignInAt: users.lastSignInAt, workspaceName: workspaces.name,
  }).from(users).leftJoin(workspaces, eq(users.workspaceId, workspaces.id)).orderBy(asc(users.role), asc(users.email));
}
