// POST /api/cases/:id/events – fire a state-machine event ({ event, version, note }) on a case; 200 with the new
// state, 4xx with the reason (wrong role, wrong state, guard failed, stale version, limit).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route } from '@/lib/auth/guard';
import { validationError } from '@/lib/errors';
import { applyEventSchema } from '@/lib/cases/service';
import { actOnCase, edgeDeps } from '@/lib/preflight';

const bodySchema = applyEventSchema.omit({ caseId: true, payload: true });

export const POST = route(
  { permission: 'case.act', params: z.object({ id: z.string() }) },
  async (req, { db, user, params, requestId, sourceIp }) => {
    const body = bodySchema.safeParse(await req.json().catch(() => null));
    if (!body.success) {
      throw validationError('Send JSON like {"event": "accept", "version": 3, "note": "…"}.', {
        body: body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
      });
    }
    const c = await actOnCase(db, await edgeDeps(), user, { ...body.data, caseId: params.id }, { requestId, sourceIp });
    return NextResponse.json({ id: c.id, state: c.state, version: c.version });
  },
);
