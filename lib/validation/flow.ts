/** What every warehouse flow's check() and normalise() share: the case's region and per-field normalising. */
import { z } from 'zod';
import { type ValidationIssue, fail, ok } from './result';
import { readText } from './form';
import { checkRegion } from './aws';
import { checkedField, type PhasedSchema } from './zod';

/** The region field of a draft step. Eligibility depends on the configuration, so check() adds it (regionIssues). */
export const regionSchema = checkedField((value) => {
  const region = readText(value)?.toLowerCase();
  return region ? ok(region) : fail('region.required', 'Region is empty: choose the AWS region your warehouse runs in.');
});

/** The case's region: the one in the inputs when given (the customer may be changing it), else the case's. */
export function caseRegion(inputs: Record<string, unknown>, fallback: string): string | undefined {
  return readText(inputs.region)?.toLowerCase() ?? readText(fallback)?.toLowerCase();
}

/** The eligibility issue for a region that parsed, [] when it is eligible. */
export function regionIssues(region: unknown, eligible: readonly string[]): ValidationIssue[] {
  if (typeof region !== 'string') return [];
  const checked = checkRegion(region, eligible);
  return checked.ok ? [] : [{ field: 'region', rule: checked.rule, message: checked.message }];
}

/**
 * Every field of every step: its parsed value when valid, the value as given when not (a half-done draft keeps what
 * the customer typed), absent when not given. Keys the steps do not declare are dropped.
 */
export function normaliseSteps(steps: readonly PhasedSchema[], inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const step of steps) {
    for (const [key, schema] of Object.entries(step.schema.shape)) {
      if (!(key in inputs) || inputs[key] === undefined) continue;
      const result = z.safeParse(schema, inputs[key]);
      out[key] = result.success ? result.data : inputs[key];
    }
  }
  return out;
}
