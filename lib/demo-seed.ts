import 'server-only';
import { sql } from 'drizzle-orm';
import { generatePassword, hashPassword } from '@/lib/auth/password';
import type { Db } from '@/db/index';
import { auditLog, users, workspaces } from '@/db/schema';
import type { Role } from '@/lib/domain/roles';
import { readSettings } from '@/lib/settings';

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  workspace?: 'acme' | 'globex';
}

// Two customer workspaces (an admin and a viewer each), one CSM, two engineers (for the two-person rule), one admin.
export const DEMO_USERS: DemoUser[] = [
  { email: 'ada@acme.example', name: 'Ada Lovelace', role: 'customer_admin', workspace: 'acme' },
  { email: 'victor@acme.example', name: 'Victor Viewer', role: 'customer_viewer', workspace: 'acme' },
  { email: 'grace@globex.example', name: 'Grace Hopper', role: 'customer_admin', workspace: 'globex' },
  { email: 'vera@globex.example', name: 'Vera Viewer', role: 'customer_viewer', workspace: 'globex' },
  { email: 'casey@portal.example', name: 'Casey CSM', role: 'csm' },
  { email: 'erin@portal.example', name: 'Erin Engineer', role: 'engineer' },
  { email: 'frank@portal.example', name: 'Frank Engineer', role: 'engineer' },
  { email: 'alex@portal.example', name: 'Alex Admin', role: 'admin' },
];

/**
 * Seed demo data on the embedded default only (or when SEED_DEMO=1), once: when the users table is empty.
 * Passwords are generated (DEMO_PASSWORD fixes them for tests), stored hashed and printed once.
 */
export async function seedDemoIfWanted(db: Db, opts: { embedded: boolean }): Promise<void> {
  const wanted = process.env.SEED_DEMO === '1' || (opts.embedded && process.env.SEED_DEMO !== '0');
  if (!wanted) return;
  const printed = await seedDemo(db);
  if (printed) console.log(printed);
}

export async function seedDemo(db: Db): Promise<string | null> {
  const fixed = process.env.DEMO_PASSWORD;
  const accounts = await Promise.all(
    DEMO_USERS.map(async (u) => {
      const password = fixed || generatePassword();
      return { ...u, password, passwordHash: await hashPassword(password) };
    }),
  );
  const created = await db.transaction(async (tx) => {
    // Serialise concurrent first starts: only the one that finds no users seeds.
    await tx.execute(sql`lock table users in exclusive mode`);
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if ((existing?.n ?? 0) > 0) return false;
    // DEMO_ENDPOINT_LIMIT raises the demo workspaces' endpoint limit (end-to-end tests open many cases).
    const limit = readSettings().DEMO_ENDPOINT_LIMIT;
    const override = limit > 0 ? { endpointLimit: limit, limitOverrideReason: 'Demo data seeded with DEMO_ENDPOINT_LIMIT' } : {};
    const ws = await tx
      .insert(workspaces)
      .values([
        { name: 'Acme Analytics', slug: 'acme', ...override },
        { name: 'Globex Data', slug: 'globex', ...override },
      ])
      .returning({ id: workspaces.id, slug: workspaces.slug });
    const wsId = (slug?: string) => (slug ? (ws.find((w) => w.slug === slug)?.id ?? null) : null);
    const inserted = await tx
      .insert(users)
      .values(
        accounts.map((a) => ({
          email: a.email,
          name: a.name,
          role: a.role,
          workspaceId: wsId(a.workspace),
          passwordHash: a.passwordHash,
        })),
      )
      .returning({ id: users.id, email: users.email, role: users.role, workspaceId: users.workspaceId });
    await tx.insert(auditLog).values({
      actorRole: 'system',
      action: 'seed.demo',
      targetType: 'system',
      after: { workspaces: ws.map((w) => w.slug), users: inserted.map((u) => ({ email: u.email, role: u.role })) },
    });
    return true;
  });
  if (!created) return null;
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = accounts.map((a) => `  ${a.email.padEnd(width)}  ${a.role.padEnd(15)}  ${a.password}`);
  return ['', 'PrivateLink Portal demo accounts (shown once; passwords are stored only as bcrypt hashes):', ...lines, ''].join('\n');
}
