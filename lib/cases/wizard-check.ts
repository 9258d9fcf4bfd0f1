import { edgeValuesFor } from '@/lib/cloud/layout';
import { EDGE_CIDR } from '@/lib/providers/rds-postgres';
import { getFlow, getFlowConfig, type InputPhase, type ValidationIssue } from '@/lib/providers';
import type { Warehouse } from '@/lib/domain/warehouses';
import { inputWarnings } from '@/lib/validation/warnings';

/** What the wizard shows about the answers of one phase: what blocks, what only warns, and what will be stored. */
export interface WizardCheck {
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Each answer as it will be stored (the zod schemas' output), the value as typed where it does not parse yet. */
  stored: Record<string, unknown>;
}

/**
 * The flow's checks over a case's saved inputs with the wizard's current answers on top (the same schemas submit
 * uses), the warnings on allowed-but-suspect answers, and the normalised values the review shows.
 */
export function checkForWizard(
  c: { warehouse: Warehouse; region: string; state: string; workspaceId: string; inputs: Record<string, unknown> },
  values: Record<string, unknown>,
  phase: InputPhase,
): WizardCheck {
  const merged = { ...c.inputs, ...values };
  const region = typeof merged.region === 'string' && merged.region ? merged.region : c.region;
  const flow = getFlow(c.warehouse);
  const ctx = { region, config: getFlowConfig() };
  const issues = flow.check(merged, ctx, [phase]);
  const normalised = flow.normalise(merged, ctx);
  const stored = Object.fromEntries(Object.keys(values).map((k) => [k, normalised[k] ?? values[k]]));
  const warnings = inputWarnings(stored, { edgeAccountId: edgeValuesFor(c)?.accountId, edgeCidr: EDGE_CIDR });
  return { issues, warnings, stored };
}
