/**
 * Preflight checks on a case (docs/design.md#preflight-checks): run them from the edge account, keep the result on
 * the case with its time, and gate the events that hand the customer's details on — providing details and approval
 * refuse while a check fails; a case whose every check passed requests provisioning itself unless its workspace turned
 * that off (docs/design.md#two-staff-touches).
 */
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, getDb } from '@/db/index';
import { getAutoRequest } from '@/db/queries/workspaces';
import { type Case, cases } from '@/db/schema';
import { type AuditContext, writeAudit } from '@/lib/audit';
import { conflictsOf, holdingBack, staffConflictMessage } from '@/lib/cases/claims';
import { applyEvent, type applyEventSchema, type CaseActor, CaseError, getCase } from '@/lib/cases/service';
import { createEdgeAdapter } from '@/lib/cloud';
import { getEdgeLayout } from '@/lib/cloud/layout';
import type { EdgeAdapter } from '@/lib/cloud/types';
import { getFlow, getFlowConfig } from '@/lib/providers';
import { CHECK_STATUSES, checksPhase, type PreflightCheck, type PreflightDeps, runChecks } from './checks';

export { checkSteps, type PreflightCheck, type PreflightDeps } from './checks';

export const PREFLIGHT_TRIGGERS = ['check', 'submit', 'provide_details', 'approve'] as const;
export type PreflightTrigger = (typeof PREFLIGHT_TRIGGERS)[number];

const storedSchema = z.object({
  at: z.string(),
  trigger: z.enum(PREFLIGHT_TRIGGERS),
  checks: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      status: z.enum(CHECK_STATUSES),
      detail: z.string(),
      command: z.string().optional(),
      stepId: z.string(),
    }),
  ),
});
export type StoredPreflight = z.infer<typeof storedSchema>;

/** The case's last preflight, or null (never run, or stored by an older version in another shape). */
export function preflightOf(c: Pick<Case, 'preflight'>): StoredPreflight | null {
  const parsed = storedSchema.safeParse(c.preflight);
  return parsed.success ? parsed.data : null;
}

export const failedChecks = (p: StoredPreflight | null): PreflightCheck[] => p?.checks.filter((c) => c.status === 'failed') ?? [];
export const allPassed = (p: StoredPreflight | null): boolean =>
  Boolean(p && p.checks.length > 0 && p.checks.every((c) => c.status === 'passed'));

const g = globalThis as unknown as { __plpEdge?: Promise<EdgeAdapter> };

/** The edge adapter of this server process (the reconciler keeps its own), made on first use. */
export async function edgeDeps(): Promise<PreflightDeps> {
  g.__plpEdge ??= getDb().then((db) => createEdgeAdapter(db));
  const adapter = await g.__plpEdge.catch((err) => {
    g.__plpEdge = undefined;
    throw err;
  });
  return { adapter, layout: getEdgeLayout(), flows: getFlowConfig() };
}

/**
 * Run the case's checks as its workspace's role and keep the result on the case (audited). The case's version is not
 * bumped: a check changes nothing the customer typed, so it never makes an open wizard stale.
 */
export async function runPreflight(
  db: Db,
  deps: PreflightDeps,
  actor: CaseActor,
  caseId: string,
  trigger: PreflightTrigger,
  context: AuditContext = {},
  now: Date = new Date(),
): Promise<StoredPreflight> {
  return checkAndKeep(db, deps, actor, await getCase(db, actor, caseId), trigger, context, now);
}

/** runPreflight on a case already read (and authorized) by the caller. */
async function checkAndKeep(
  db: Db,
  deps: PreflightDeps,
  actor: CaseActor,
  c: Case,
  trigger: PreflightTrigger,
  context: AuditContext,
  now: Date = new Date(),
): Promise<StoredPreflight> {
  // AWS is asked with no transaction open: a slow answer must not hold the case's row.
  const checks = await runChecks(
    { warehouse: c.warehouse, region: c.region, workspaceId: c.workspaceId, inputs: c.inputs, outputs: c.outputs },
    deps,
  );
  const stored: StoredPreflight = { at: now.toISOString(), trigger, checks };
  await db.transaction(async (tx) => {
    await tx.update(cases).set({ preflight: stored }).where(eq(cases.id, c.id));
    await writeAudit(tx, {
      actor: actor === 'reconciler' ? { id: null, role: 'reconciler' } : { id: actor.id, email: actor.email ?? null, role: actor.role },
      action: 'case.preflight',
      targetType: 'case',
      targetId: c.id,
      workspaceId: c.workspaceId,
      after: { trigger, results: Object.fromEntries(checks.map((k) => [k.id, k.status])) },
      context,
    });
  });
  return stored;
}

function refusal(failed: PreflightCheck[], event: string): CaseError {
  const words = failed.map((f) => `${f.label}: ${f.detail}`).join(' ');
  return new CaseError(
    'guard_failed',
    `The case cannot ${event.replace(/_/g, ' ')} yet: ${failed.length === 1 ? 'a check' : `${failed.length} checks`} from the edge account failed. ${words}`,
  );
}

/**
 * Fire an event through the checks: on submit the checks of the draft run and are kept for the CSM; providing details
 * and approving run every check and refuse while one fails. A flow that asks nothing after acceptance moves past the
 * details by itself. After details whose every check passed, the portal requests provisioning (the audited
 * requester), unless the workspace turned that off or a name is claimed by another workspace.
 */
export async function actOnCase(
  db: Db,
  deps: PreflightDeps,
  actor: Exclude<CaseActor, 'reconciler'>,
  input: z.input<typeof applyEventSchema>,
  context: AuditContext = {},
): Promise<Case> {
  const { event, caseId } = input;
  let preflight: StoredPreflight | null = null;
  if (event === 'provide_details' || event === 'approve' || event === 'send_customer_action') {
    // One read of the case for the checks and the claims (the checks change nothing they read).
    const c = await getCase(db, actor, caseId);
    preflight = await checkAndKeep(db, deps, actor, c, event === 'approve' ? 'approve' : 'provide_details', context);
    const failed = failedChecks(preflight);
    if (failed.length > 0) throw refusal(failed, event);
    if (event === 'approve') {
      // Names have one owner: approval waits until staff resolved a claim another workspace's live case holds.
      const conflict = staffConflictMessage(holdingBack(await conflictsOf(db, c)));
      if (conflict)
        throw new CaseError('guard_failed', `Resolve the name conflict before approving: ${conflict}. Reject or cancel one of the cases.`);
    }
  } else if (event === 'submit') {
    const c = await getCase(db, actor, caseId);
    if (checksPhase(c.warehouse) === 'draft') await checkAndKeep(db, deps, actor, c, 'submit', context);
  }
  let updated = await applyEvent(db, actor, input, context);
  if (event === 'accept' && !getFlow(updated.warehouse).customerSteps.some((s) => s.phase === 'details')) {
    // Nothing to ask the customer before provisioning (Databricks): the case moves on by itself, with its checks.
    updated = await applyEvent(
      db,
      'reconciler',
      {
        caseId,
        event: 'skip_details',
        version: updated.version,
        note: 'This flow needs nothing more from the customer before provisioning.',
      },
      context,
    );
    preflight = await runPreflight(db, deps, 'reconciler', caseId, 'provide_details', context);
  } else if (event !== 'provide_details') return updated;
  if (updated.state !== 'ready_to_provision' || !allPassed(preflight)) return updated;
  // A claimed name needs a CSM's look: the portal does not request provisioning for it.
  if (holdingBack(await conflictsOf(db, updated)).length > 0) return updated;
  if (!(await getAutoRequest(updated.workspaceId, db))) return updated;
  return applyEvent(
    db,
    'reconciler',
    {
      caseId,
      event: 'auto_request_provisioning',
      version: updated.version,
      note: 'Every check from the edge account passed: the portal requested provisioning. An engineer approves it.',
    },
    context,
  );
}
