// GET /api/v1/cases – a page of the cases the token's owner may see, with where each stands and who acts next.
// POST /api/v1/cases – start a draft case with its first answers, checked as the wizard checks them (422 otherwise);
// with an Idempotency-Key, a repeat answers the first answer and never makes a second case.
import { draftIssues, draftSteps, listCasesPage, presentCase } from '@/lib/api/cases';
import { ApiError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { createDraft, getCase, saveInputs } from '@/lib/cases/service';

export const GET = apiRoute(OPERATIONS.listCases, async ({ db, user, query }) => listCasesPage(db, user, query));

export const POST = apiRoute(OPERATIONS.createCase, async ({ db, user, body, audit }) => {
  const issues = draftIssues(body.warehouse, body.region, body.inputs);
  if (issues.length > 0) throw new ApiError('validation', 'Some answers need attention: nothing was created.', issues);
  // db is the Idempotency-Key's transaction: the services' own transactions nest in it, so all of it or none is kept.
  const draft = await createDraft(db, user, { warehouse: body.warehouse, region: body.region }, audit);
  let version = draft.version;
  for (const [stepId, values] of draftSteps(body.warehouse, body.inputs)) {
    version = (await saveInputs(db, user, { caseId: draft.id, version, stepId, values }, audit)).case.version;
  }
  return presentCase(db, user, await getCase(db, user, draft.id));
});
