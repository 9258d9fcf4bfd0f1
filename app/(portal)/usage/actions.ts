'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { cases, endpoints } from '@/db/schema';
import { writeAudit } from '@/lib/audit';
import { action } from '@/lib/auth/guard';
import { edgeProviderName } from '@/lib/cloud';
import { addTrafficBurst, setTraffic } from '@/lib/cloud/sandbox-controls';
import { GIB } from '@/lib/domain/units';
import { forbiddenError, notFoundError } from '@/lib/errors';

// At most what a 100 Gbit/s link moves in a day (about 1 PB): anything above is a typing slip, not a demo.
const MAX_GIB = 1_000_000;

const blankToNull = (v: unknown) => (v === '' || v === undefined || v === null ? null : v);

const trafficSchema = z.object({
  endpointId: z.string().uuid('endpointId must be an endpoint id (a UUID).'),
  gibPerDay: z.preprocess(
    blankToNull,
    z.coerce
      .number({ error: 'GB a day must be a number, like 8 or 0.5; leave it empty for the endpoint’s own pattern.' })
      .min(0, 'GB a day cannot be negative: enter 0 or more, or leave it empty for the endpoint’s own pattern.')
      .max(MAX_GIB, `GB a day is at most ${MAX_GIB.toLocaleString('en-US')}: enter a smaller number.`)
      .nullable(),
  ),
  addTodayGb: z.preprocess(
    (v) => blankToNull(v) ?? 0,
    z.coerce
      .number({ error: 'One-off transfer today must be a number of GB, like 250; leave it empty for none.' })
      .min(0, 'One-off transfer today cannot be negative: enter 0 or more GB.')
      .max(MAX_GIB, `One-off transfer today is at most ${MAX_GIB.toLocaleString('en-US')} GB: enter a smaller number.`),
  ),
});

/**
 * The sandbox controls for an endpoint's simulated traffic (docs/design.md#sandbox-traffic): its daily rate, and a
 * one-off transfer today. The case's next reconcile is made due at once, so the usage collection reads the new bytes
 * and announces any threshold they reach within a round of the reconciler, as it would with real traffic.
 */
export const setSandboxTrafficAction = action(
  trafficSchema,
  { permission: 'sandbox.set_traffic' },
  async (input, { user, db, requestId, sourceIp }) => {
    if (edgeProviderName() !== 'sandbox') throw forbiddenError('Simulated traffic exists only with the sandbox edge account.');
    return db.transaction(async (tx) => {
      const [ep] = await tx
        .select({ awsId: endpoints.awsId, caseId: endpoints.caseId, workspaceId: endpoints.workspaceId, caseState: cases.state })
        .from(endpoints)
        .innerJoin(cases, eq(endpoints.caseId, cases.id))
        .where(and(eq(endpoints.id, input.endpointId), isNull(endpoints.deletedAt)));
      if (!ep?.awsId) throw notFoundError('No such live endpoint.');
      await setTraffic(tx, ep.awsId, input.gibPerDay);
      const burstTodayBytes = input.addTodayGb > 0 ? await addTrafficBurst(tx, ep.awsId, input.addTodayGb * GIB) : null;
      await tx.update(cases).set({ nextReconcileAt: sql`now()` }).where(eq(cases.id, ep.caseId));
      await writeAudit(tx, {
        actor: { id: user.id, email: user.email, role: user.role },
        action: 'sandbox.set_traffic',
        targetType: 'endpoint',
        targetId: input.endpointId,
        workspaceId: ep.workspaceId,
        after: { vpcEndpointId: ep.awsId, gibPerDay: input.gibPerDay, addedTodayGib: input.addTodayGb, caseId: ep.caseId },
        context: { requestId, sourceIp },
      });
      const rate = input.gibPerDay === null ? 'its own generated pattern' : `${input.gibPerDay} GB a day`;
      const burst = burstTodayBytes === null ? '' : `, plus ${(burstTodayBytes / GIB).toFixed(1)} GB one-off today`;
      return {
        message: `${ep.awsId} now carries ${rate}${burst}. The usage collection reads it within a few seconds, and this page shows it then.`,
      };
    });
  },
);
