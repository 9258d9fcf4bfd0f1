// GET /api/v1/cases/:id/events – the case's timeline, oldest first.
// POST /api/v1/cases/:id/events – fire one state-machine event ({ event, version, note }) through the same checks as
// the portal's buttons (actOnCase); answers the case as it is afterwards.
import { asc, eq } from 'drizzle-orm';
import { caseEvents, users } from '@/db/schema';
import { presentCase } from '@/lib/api/cases';
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { getCase } from '@/lib/cases/service';
import { actOnCase, edgeDeps } from '@/lib/preflight';

export const GET = apiRoute(OPERATIONS.listCaseEvents, async ({ db, user, params }) => {
  const c = await getCase(db, user, params.id);
  const rows = await db
    .select({
      id: caseEvents.id,
      event: caseEvents.event,
      fromState: caseEvents.fromState,
      toState: caseEvents.toState,
      actorRole: caseEvents.actorRole,
      actorName: users.name,
      note: caseEvents.note,
      createdAt: caseEvents.createdAt,
    })
    .from(caseEvents)
    .leftJoin(users, eq(caseEvents.actorId, users.id))
    .where(eq(caseEvents.caseId, c.id))
    .orderBy(asc(caseEvents.id));
  return { data: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
});

export const POST = apiRoute(OPERATIONS.fireCaseEvent, async ({ db, user, params, body, audit }) => {
  const c = await actOnCase(db, await edgeDeps(), user, { ...body, caseId: params.id }, audit);
  return presentCase(db, user, c);
});
