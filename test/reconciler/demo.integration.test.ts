import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxTiming } from '@/lib/cloud';
import { SANDBOX_EDGE_LAYOUT } from '@/lib/cloud/layout';
import { SandboxEdge } from '@/lib/cloud/sandbox';
import { DEFAULT_FLOW_CONFIG } from '@/lib/providers/config';
import { reconcilerConfig } from '@/lib/reconciler/config';
import { type ReconcilerLoop, startReconcilerLoop } from '@/lib/reconciler/loop';
import { registerDatabricksEndpoint } from '@/lib/cloud/sandbox-customer';
import { sendAfterEndpoint } from '../support/world';
import { caseRow, type Env, provisioningCase, setup } from './support';
import { WAREHOUSES } from '@/lib/domain/warehouses';

// With no configuration, an approved demo case is provisioned end to end within a minute. This
// runs the real loop with the default timings (sandbox delays of seconds, the default polling) on the embedded database.
describe('the embedded default, unconfigured', () => {
  let env: Env;
  let loop: ReconcilerLoop;
  beforeAll(async () => {
    env = await setup({ endpointLimit: 4 });
  });
  afterAll(async () => {
    await loop?.stop();
    await env?.h.close();
  });

  it('takes an approved case of every warehouse to active within a minute', async () => {
    const timing = sandboxTiming({});
    expect(timing.delayMs).toBeGreaterThan(0);
    const adapter = new SandboxEdge(env.db, { layout: SANDBOX_EDGE_LAYOUT, flows: DEFAULT_FLOW_CONFIG, ...timing });
    const started = Date.now();
    // Each customer did their part in their own (sandbox) console first (provisioningCase).
    const ids = await Promise.all(WAREHOUSES.map(async (wh) => (await provisioningCase(env, wh)).id));
    loop = startReconcilerLoop({
      db: env.db,
      adapter,
      layout: SANDBOX_EDGE_LAYOUT,
      flows: DEFAULT_FLOW_CONFIG,
      config: reconcilerConfig({}),
    });

    const databricks = ids[WAREHOUSES.indexOf('databricks')]!;
    let answered = false;
    const took = new Map<string, number>();
    while (took.size < ids.length && Date.now() - started < 60_000) {
      for (const id of ids) {
        const c = await caseRow(env.db, id);
        expect(c.state).not.toBe('failed');
        if (c.state === 'active' && !took.has(id)) took.set(id, Date.now() - started);
        // The customer registers the endpoint in Databricks and gives the workspace URL as soon as the case asks.
        if (id === databricks && c.state === 'awaiting_customer_action' && !answered) {
          await registerDatabricksEndpoint(env.db, { workspaceId: env.w.acme, vpcEndpointId: String(c.outputs.vpcEndpointId) });
          await sendAfterEndpoint(env.db, env.w.ada, id, c.version, 'databricks');
          answered = true;
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log('[demo] seconds to active:', Object.fromEntries(ids.map((id, i) => [WAREHOUSES[i], (took.get(id) ?? NaN) / 1000])));
    expect(took.size).toBe(ids.length);
    expect(Math.max(...took.values())).toBeLessThan(60_000);
  }, 90_000);
});
