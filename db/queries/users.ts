import 'server-only';
import { and, asc, eq, inArray, ne, or, sql, type WithSubquery } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db/index';
import { emailOptOuts, users, workspaces } from '@/db/schema';
import { CUSTOMER_ROLES, type Role, STAFF_ROLES } from '@/lib/domain/roles';

/** What an admin page shows of an account: never its password hash. */
const accountColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  lastSignInAt: users.lastSignInAt,
};

/** An account as the portal shows and checks it: who, which role and workspace, and whether it is disabled. */
export const accountSummaryColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  workspaceId: users.workspaceId,
  disabled: users.disabled,
};

/** Every user, without password hashes (admin view). */
export async function listUsers(db?: Db) {
  const d = db ?? (await getDb());
  return d
    .select({
      ...accountColumns,
      workspaceId: users.workspaceId,
      workspaceName: workspaces.name,
      // Whether the account signs in with a password or only through staff SSO; the hash itself never leaves db/.
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    })
    .from(users)
    .leftJoin(workspaces, eq(users.workspaceId, workspaces.id))
    .orderBy(asc(users.role), asc(users.email));
}

/** One user for the admin detail page (no password hash), or null. */
export async function getUserForAdmin(id: string, db?: Db) {
  const d = db ?? (await getDb());
  const [row] = await d
    .select({
      ...accountColumns,
      createdAt: users.createdAt,
      workspaceId: users.workspaceId,
      workspaceName: workspaces.name,
    })
    .from(users)
    .leftJoin(workspaces, eq(users.workspaceId, workspaces.id))
    .where(eq(users.id, id));
  return row ?? null;
}

/** E-mail addresses of every account (the audit page's actor suggestions). */
export async function listUserEmails(db?: Db): Promise<string[]> {
  const d = db ?? (await getDb());
  const rows = await d.select({ email: users.email }).from(users).orderBy(asc(users.email));
  return rows.map((r) => r.email);
}

export interface Recipient {
  id: string;
  role: Role;
  workspaceId: string | null;
  email: string;
  /** Of the `emailKinds` asked about, the kinds of e-mail this person turned off. */
  optedOut: string[];
}

/**
 * Enabled accounts who should hear about something: staff with one of `roles`, and members of `workspaceId` with one
 * of them. `exceptUserId` leaves out the person who caused it. With `emailKinds`, each comes with which of those kinds
 * of e-mail they turned off. One query, in the caller's transaction; `alongside` are data-modifying WITH queries the
 * caller wants run by the same statement (PostgreSQL runs each once, to completion, whether or not it is read).
 */
export async function listRecipients(
  db: Db | Tx,
  roles: readonly Role[],
  scope: { workspaceId: string | null; exceptUserId?: string | null; emailKinds?: readonly string[] },
  alongside: WithSubquery[] = [],
): Promise<Recipient[]> {
  const staffRoles = [...new Set(roles.filter((r) => STAFF_ROLES.includes(r)))];
  const customerRoles = [...new Set(roles.filter((r) => CUSTOMER_ROLES.includes(r)))];
  const staff = staffRoles.length > 0 ? inArray(users.role, staffRoles) : undefined;
  const customers =
    customerRoles.length > 0 && scope.workspaceId
      ? and(inArray(users.role, customerRoles), eq(users.workspaceId, scope.workspaceId))
      : undefined;
  if (!staff && !customers && alongside.length === 0) return [];
  const optedOut = scope.emailKinds?.length
    ? sql<
        string[]
      >`array(select ${emailOptOuts.kind} from ${emailOptOuts} where ${emailOptOuts.userId} = ${users.id} and ${inArray(emailOptOuts.kind, [...scope.emailKinds])})`
    : sql<string[]>`'{}'::text[]`;
  return db
    .with(...alongside)
    .select({ id: users.id, role: users.role, workspaceId: users.workspaceId, email: users.email, optedOut })
    .from(users)
    .where(
      and(eq(users.disabled, false), or(staff, customers) ?? sql`false`, scope.exceptUserId ? ne(users.id, scope.exceptUserId) : undefined),
    )
    .orderBy(asc(users.email));
}

/** The members of one workspace, for its admin page (no password hashes). */
export async function listWorkspaceMembers(workspaceId: string, db?: Db) {
  const d = db ?? (await getDb());
  return d
    .select({
      ...accountColumns,
    })
    .from(users)
    .where(eq(users.workspaceId, workspaceId))
    .orderBy(asc(users.email));
}
