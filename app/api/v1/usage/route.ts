// GET /api/v1/usage – this UTC month's endpoint slots and transfer against the workspace's limits, per day.
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';
import { readUsage } from '@/lib/api/reads';

export const GET = apiRoute(OPERATIONS.getUsage, async ({ db, user, query }) => readUsage(db, user, query.workspace));
