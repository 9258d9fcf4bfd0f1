import type { Db } from '@/db/index';
import { users, workspaces } from '@/db/schema';
import { applyEvent, type CaseActor, createDraft, saveInputs } from '@/lib/cases/service';
import { stepsWithValues } from './fixtures';
import type { CaseState } from '@/lib/domain/case-states';
import type { Warehouse } from '@/lib/domain/warehouses';

export type Person = Exclude<CaseActor, 'reconciler'>;

/** Two workspaces with their members, a CSM, two engineers and an admin (no passwords: services are called directly). */
export async function seedWorld(db: Db, opts: { endpointLimit?: number } = {}) {
  const [a, b] = await db
    .insert(workspaces)
    .values([
      { name: 'Acme', slug: 'acme', endpointLimit: opts.endpointLimit ?? 2 },
      { name: 'Globex', slug: 'globex', endpointLimit: opts.endpointLimit ?? 2 },
    ])
    .returning({ id: workspaces.id });
  const rows = await db
    .insert(users)
    .values([
      { email: 'ada@acme.example', name: 'Ada', role: 'customer_admin', workspaceId: a!.id },
      { email: 'victor@acme.example', name: 'Victor', role: 'customer_viewer', workspaceId: a!.id },
      { email: 'grace@globex.example', name: 'Grace', role: 'customer_admin', workspaceId: b!.id },
      { email: 'casey@portal.example', name: 'Casey', role: 'csm' },
      { email: 'erin@portal.example', name: 'Erin', role: 'engineer' },
      { email: 'frank@portal.example', name: 'Frank', role: 'engineer' },
      { email: 'alex@portal.example', name: 'Alex', role: 'admin' },
    ])
    .returning({ id: users.id, email: users.email, role: users.role, workspaceId: users.workspaceId });
  const by = (email: string): Person => {
    const u = rows.find((r) => r.email === email)!;
    return { id: u.id, role: u.role, workspaceId: u.workspaceId, email: u.email };
  };
  return {
    acme: a!.id,
    globex: b!.id,
    ada: by('ada@acme.example'),
    victor: by('victor@acme.example'),
    grace: by('grace@globex.example'),
    casey: by('casey@portal.example'),
    erin: by('erin@portal.example'),
    frank: by('frank@portal.example'),
    alex: by('alex@portal.example'),
  };
}
export type World = Awaited<ReturnType<typeof seedWorld>>;

/** Fill in every step of a phase with valid values; returns the new version. */
export async function fillPhase(
  db: Db,
  who: Person,
  caseId: string,
  version: number,
  warehouse: Warehouse,
  phase: 'draft' | 'details' | 'after_endpoint',
) {
  let v = version;
  for (const [stepId, values] of stepsWithValues(warehouse, phase)) {
    const r = await saveInputs(db, who, { caseId, version: v, stepId, values });
    v = r.case.version;
  }
  return v;
}

/** The customer's part once the endpoint exists: answer every step of that phase, then send it ("Send and finish"). */
export async function sendAfterEndpoint(db: Db, who: Person, caseId: string, version: number, warehouse: Warehouse) {
  const v = await fillPhase(db, who, caseId, version, warehouse, 'after_endpoint');
  return applyEvent(db, who, { caseId, event: 'send_customer_action', version: v });
}

const PATH: CaseState[] = ['draft', 'submitted', 'awaiting_customer', 'ready_to_provision', 'pending_approval', 'provisioning'];

/** A case of the customer's workspace driven through the people's steps up to `target` (at most provisioning). */
export async function caseIn(db: Db, w: World, warehouse: Warehouse, target: CaseState, customer: Person = w.ada) {
  let c = await createDraft(db, customer, { warehouse, region: 'us-east-1' });
  const stop = PATH.indexOf(target);
  if (stop < 0) throw new Error(`caseIn cannot reach ${target}`);
  let v = await fillPhase(db, customer, c.id, c.version, warehouse, 'draft');
  if (stop >= 1) c = await applyEvent(db, customer, { caseId: c.id, event: 'submit', version: v });
  if (stop >= 2) c = await applyEvent(db, w.casey, { caseId: c.id, event: 'accept', version: c.version });
  if (stop >= 3) {
    v = await fillPhase(db, customer, c.id, c.version, warehouse, 'details');
    c = await applyEvent(db, customer, { caseId: c.id, event: 'provide_details', version: v });
  }
  if (stop >= 4) c = await applyEvent(db, w.casey, { caseId: c.id, event: 'request_provisioning', version: c.version });
  if (stop >= 5) c = await applyEvent(db, w.erin, { caseId: c.id, event: 'approve', version: c.version });
  if (stop < 1) c = { ...c, version: v };
  return c;
}
