// GET /api/v1/me – who the token acts as: its owner with their current role, and the token's scope and expiry.
import { apiRoute } from '@/lib/api/handler';
import { OPERATIONS } from '@/lib/api/operations';

export const GET = apiRoute(OPERATIONS.getMe, async ({ user, token }) => ({
  user: { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId },
  token: { id: token.id, name: token.name, scope: token.scope as 'read' | 'write', expiresAt: token.expiresAt.toISOString() },
}));
