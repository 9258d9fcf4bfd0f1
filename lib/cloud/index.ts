/** The edge adapter in force: EDGE_PROVIDER=aws → AWS SDK v3 (aws.ts), unset or `sandbox` → the simulated account. */
import 'server-only';
import type { Db } from '@/db/index';
import { loadFlowConfig } from '@/lib/providers/config';
import { getEdgeLayout } from './layout';
import { SandboxEdge, type SandboxOptions } from './sandbox';
import type { EdgeAdapter } from './types';
import { readSettings } from '@/lib/settings';

export * from './types';

export interface SandboxTiming {
  delayMs: number;
}

/**
 * The sandbox's timings: only AWS's own (an endpoint is available 3 s after it is created or accepted by default).
 * Nothing on the customer's side has a timing: it happens when the person acts
 * (docs/design.md#the-customers-side-of-the-sandbox).
 */
export function sandboxTiming(env: Record<string, string | undefined> = process.env): SandboxTiming {
  return { delayMs: readSettings(env).SANDBOX_DELAY_MS };
}

export function edgeProviderName(env: Record<string, string | undefined> = process.env): 'aws' | 'sandbox' {
  const p = env.EDGE_PROVIDER?.trim() || 'sandbox';
  if (p !== 'aws' && p !== 'sandbox') throw new Error(`EDGE_PROVIDER must be "aws" or "sandbox" (or unset for the sandbox), not "${p}".`);
  return p;
}

/** Build the adapter for this process. Throws, naming the bad setting, when the configuration is invalid. */
export async function createEdgeAdapter(
  db: Db,
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Omit<SandboxOptions, 'layout' | 'flows'>> = {},
): Promise<EdgeAdapter> {
  const provider = edgeProviderName(env);
  const layout = getEdgeLayout(env);
  if (provider === 'aws') {
    // Loaded only when chosen, so the sandbox default never initialises the SDK.
    const { AwsEdge } = await import('./aws');
    return new AwsEdge(layout);
  }
  return new SandboxEdge(db, { layout, flows: loadFlowConfig(env), ...sandboxTiming(env), ...overrides });
}
