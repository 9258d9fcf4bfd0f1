import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '@/db/index';
import { seedDemo } from '@/lib/demo-seed';
import { users } from '@/db/schema';
import { createDraft, saveInputs } from '@/lib/cases/service';
import { getFlow } from '@/lib/providers';

export const BENCH_PASSWORD = 'bench-Password-1';

/**
 * A fresh database with the demo accounts and one Redshift case for the customer; returns the case id. Embedded in
 * `dataRoot` by default; on `url` (a fresh PostgreSQL database: benchDatabase in ./support) when given.
 */
export async function prepareDemo(dataRoot: string, url?: string): Promise<{ caseId: string; dataDir: string }> {
  process.env.DEMO_PASSWORD = BENCH_PASSWORD;
  process.env.BCRYPT_ROUNDS = '10';
  const dataDir = path.join(dataRoot, 'pglite');
  const h = await openDatabase({ url, dataDir });
  await seedDemo(h.db);
  const [ada] = await h.db.select().from(users).where(eq(users.email, 'ada@acme.example'));
  const actor = { id: ada!.id, role: ada!.role, workspaceId: ada!.workspaceId, email: ada!.email };
  const c = await createDraft(h.db, actor, { warehouse: 'redshift', region: 'us-east-1' });
  const step = getFlow('redshift').customerSteps[0]!;
  await saveInputs(h.db, actor, {
    caseId: c.id,
    version: c.version,
    stepId: step.id,
    values: { nodeType: 'ra3.xlplus', relocationEnabled: true, port: '5439' },
  });
  await h.close();
  return { caseId: c.id, dataDir: dataRoot };
}
