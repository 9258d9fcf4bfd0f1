// PUT /api/v1/cases/:id/steps/:stepId – save one setup step's answers ({ version, values }): the wizard's own save.
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { saveInputs } from '@/lib/cases/service';

export const PUT = apiRoute(OPERATIONS.saveCaseStep, async ({ db, user, params, body, audit }) => {
  const r = await saveInputs(db, user, { caseId: params.id, stepId: params.stepId, ...body }, audit);
  return { version: r.case.version, issues: r.issues };
});
