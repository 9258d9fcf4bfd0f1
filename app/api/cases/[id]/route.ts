// GET /api/cases/:id – one case (state, version, outputs, inputs) for its workspace's members and for staff.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { route } from '@/lib/auth/guard';
import { getCase } from '@/lib/cases/service';

export const GET = route({ permission: 'case.view', params: z.object({ id: z.string() }) }, async (_req, { db, user, params }) => {
  const c = await getCase(db, user, params.id);
  return NextResponse.json({
    id: c.id,
    reference: `PL-${c.number}`,
    warehouse: c.warehouse,
    region: c.region,
    state: c.state,
    version: c.version,
    inputs: c.inputs,
    outputs: c.outputs,
    lastError: c.lastError,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
});
