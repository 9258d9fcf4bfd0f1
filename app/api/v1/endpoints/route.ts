// GET /api/v1/endpoints – a page of the live PrivateLink endpoints of the caller's workspace (staff: all).
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { listEndpointsPage } from '@/lib/api/reads';

export const GET = apiRoute(OPERATIONS.listEndpoints, async ({ db, user, query }) => listEndpointsPage(db, user, query));
