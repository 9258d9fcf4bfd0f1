// POST /api/cases/:id/inputs – save one wizard step's answers ({ version, stepId, values }); 200 with the new version.
// The wizard sends it with `keepalive` when the page is hidden or left, so answers typed in its last moments are
// kept; the same save as autosave (saveInputs: workspace, role, state, version, zod, one audited transaction).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route } from '@/lib/auth/guard';
import { saveInputs } from '@/lib/cases/service';
import { validationError } from '@/lib/errors';

const bodySchema = z.object({
  version: z.number({ error: 'version must be the case version you saw (a number).' }).int().positive(),
  stepId: z.string({ error: 'stepId must name a setup step.' }).min(1).max(64),
  values: z.record(z.string().max(64), z.unknown(), { error: 'values must be an object of field name to value.' }),
});

export const POST = route(
  { permission: 'case.edit_draft', params: z.object({ id: z.string() }) },
  async (req, { db, user, params, requestId, sourceIp }) => {
    const body = bodySchema.safeParse(await req.json().catch(() => null));
    if (!body.success) {
      throw validationError('Send JSON like {"version": 3, "stepId": "cluster", "values": {"port": 5439}}.', {
        body: body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
      });
    }
    const r = await saveInputs(db, user, { ...body.data, caseId: params.id }, { requestId, sourceIp });
    return NextResponse.json({ version: r.case.version, issues: r.issues });
  },
);
