// GET /api/v1/cases/:id/events – the case's timeline, oldest first.
// POST /api/v1/cases/:id/events – fire one state-machine event ({ event, version, note }) through the same checks as
// the portal's buttons (actOnCase); answers the case as it is afterwards.

import { listCaseEvents } from '@/db/queries/cases';
import { presentCase } from '@/lib/api/cases';
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { getCase } from '@/lib/cases/service';
import { actOnCase, edgeDeps } from '@/lib/preflight';

export const GET = apiRoute(OPERATIONS.listCaseEvents, async ({ db, user, params }) => {
  const c = await getCase(db, user, params.id);
  const rows = await listCaseEvents(c.id, db);
  return { data: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
});

export const POST = apiRoute(OPERATIONS.fireCaseEvent, async ({ db, user, params, body, audit }) => {
  const c = await actOnCase(db, await edgeDeps(), user, { ...body, caseId: params.id }, audit);
  return presentCase(db, user, c);
});
