/**
 * The shape of a warehouse flow: one declaration per warehouse (lib/providers/<warehouse>.ts) that the wizard, the CSM
 * view, the case service and the reconciler all read.
 */
import type { z } from 'zod';
import type { ValidationIssue } from '@/lib/validation/result';
import type { FlowConfig } from './config';
import type { Warehouse } from '@/lib/domain/warehouses';

// Defined with the validators (lib/validation/result.ts), which must not depend on the flows.
export type { ValidationIssue };

export type StepActor = 'customer' | 'csm' | 'engineer' | 'reconciler';

/**
 * When the customer provides a step's fields: before submitting the case, after the CSM accepted (edge values
 * revealed), or once the edge endpoint exists.
 */
export type InputPhase = 'draft' | 'details' | 'after_endpoint';

export const INPUT_PHASES: readonly InputPhase[] = ['draft', 'details', 'after_endpoint'];

export interface FieldSpec {
  /** The input key, as posted by the form and stored in the case's inputs. */
  name: string;
  label: string;
  help: string;
  kind: 'text' | 'textarea' | 'select' | 'checkbox' | 'number' | 'rules';
  placeholder?: string;
  /** For selects. The `region` field has none here: fill it from the configuration with customerStepsFor(). */
  options?: { value: string; label: string }[];
}

/** One wizard screen. */
export interface CustomerStep {
  id: string;
  title: string;
  description: string;
  phase: InputPhase;
  fields: FieldSpec[];
  /**
   * A zod object over this step's fields. Each field coerces what a form posts (strings, "on"), outputs the normalised
   * value, and reports an actionable message with the rule id in `params.rule` (see issuesFromZod). Region
   * eligibility and cross-field rules need the configuration, so they live in FlowDefinition.check().
   */
  schema: z.ZodObject;
}

/** One step of the program's process for the warehouse (docs/program-rules.md#the-four-flows), with who acts. */
export interface FlowStep {
  id: string;
  title: string;
  actor: StepActor;
  /** The text the customer sees, in the product's voice. */
  description: string;
}

/** A value the edge side hands back to the customer. */
export interface OutputSpec {
  key: string;
  label: string;
  help: string;
  /** The help once the customer's part is done (active and after), when `help` tells them to do something. */
  doneHelp?: string;
}

export interface FlowContext {
  /** The case's region. A `region` in the inputs being checked takes precedence (the customer may be changing it). */
  region: string;
  config: FlowConfig;
}

export interface FlowDefinition {
  warehouse: Warehouse;
  name: string;
  summary: string;
  /** What the customer needs before starting, for the warehouse cards. */
  needs: string[];
  steps: FlowStep[];
  /** Wizard screens, in order. */
  customerSteps: CustomerStep[];
  /** Whether provisioning stops in awaiting_customer_action for the customer to act on the new endpoint. */
  usesAwaitingCustomerAction: boolean;
  outputs: OutputSpec[];
  /** The case's outputs as `outputs` names them, when older cases stored them in another shape. */
  readOutputs?(outputs: Record<string, unknown>): Record<string, unknown>;
  /**
   * Every prerequisite failure for the steps of the given phases (default: all), [] when all hold. A missing field of
   * those steps is a failure ("… is empty: …"), so call it with the phases the customer has reached.
   */
  check(inputs: Record<string, unknown>, ctx: FlowContext, phases?: readonly InputPhase[]): ValidationIssue[];
  /**
   * The flow's inputs ready to store: each field normalised when valid, kept as given when not (a draft may be
   * saved half-done), unknown keys dropped. Never throws; idempotent. Call check() first.
   */
  normalise(inputs: Record<string, unknown>, ctx: FlowContext): Record<string, unknown>;
}
