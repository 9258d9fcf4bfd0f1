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
  acceptDelayMs: number;
}

/**
 * The sandbox's timings. Defaults keep a demo honest and short: an endpoint is available 3 s after it is created, and
 * the simulated service owner accepts a connection after 10 s, so an approved case is active well within a minute.
 */
export function sandboxTiming(env: Record<string, string | undefined> = process.env): SandboxTiming {
  const s = readSettings(env);
  return { delayMs: s.SANDBOX_DELAY_MS, acceptDelayMs: s.SANDBOX_ACCEPT_DELAY_MS };
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
