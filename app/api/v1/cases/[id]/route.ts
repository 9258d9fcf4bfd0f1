// GET /api/v1/cases/:id – one case with where it stands, who acts next, its steps, inputs, outputs and last checks.
import { presentCase } from '@/lib/api/cases';
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { getCase } from '@/lib/cases/service';

export const GET = apiRoute(OPERATIONS.getCase, async ({ db, user, params }) => presentCase(db, user, await getCase(db, user, params.id)));
