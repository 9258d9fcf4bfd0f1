// POST /api/v1/cases/:id/preflight – "Check from our side": run the case's checks from the edge account now.
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { edgeDeps, runPreflight } from '@/lib/preflight';

export const POST = apiRoute(OPERATIONS.runCasePreflight, async ({ db, user, params, audit }) =>
  runPreflight(db, await edgeDeps(), user, params.id, 'check', audit),
);
