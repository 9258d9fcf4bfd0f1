/**
 * The shape of a warehouse flow: one declaration per warehouse (lib/providers/<warehouse>.ts) that the wizard, the CSM
 * view, the case service and the reconciler all read.
 */
import type { z } from 'zod';
import type { ValidationIssue } from '@/lib/validation/result';
import type { FlowConfig } from './config';

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

/** A name a case claims, so that no two workspaces connect the same one (docs/design.md#names-have-one-owner). */
export type ClaimKind = 'host' | 'endpoint_service' | 'redshift_cluster';

/**
 * How the edge reaches the warehouse, and so which reconciler steps provision it (docs/design.md#flows-and-the-registry).
 * Named after the behaviour, not the warehouse: a new flow that behaves like an existing one reuses its kind.
 */
export type EdgeKind =
  /** An interface endpoint to the customer's own endpoint service; waits in awaiting_customer_action while it is pendingAcceptance. */
  | 'customer_service'
  /** An interface endpoint to a service the vendor names in the inputs, then edge DNS for the host names the inputs give. */
  | 'vendor_service_dns'
  /** An interface endpoint to the vendor's regional service; the customer registers it, then sends the host name for edge DNS. */
  | 'registered_endpoint_dns'
  /** A Redshift-managed VPC endpoint to a cluster whose owner granted the edge account access. */
  | 'redshift_managed';

/** What the reconciler, the claims and the checks read from a case's inputs, typed by the flow's own schemas. */
export interface EdgeSpec {
  kind: EdgeKind;
  /** The endpoint service an interface endpoint connects to; undefined while the case cannot name one. */
  serviceName?(inputs: Record<string, unknown>, ctx: FlowContext): string | undefined;
  /** Why there is no endpoint service, as the reconciler's failure (what to fix and who fixes it). */
  missingService?: string;
  /** The port the endpoint's security group opens (null: the edge's default, HTTPS). */
  port?(inputs: Record<string, unknown>): number | null;
  /** The host names the edge points at the endpoint (vendor_service_dns: from the inputs; registered_endpoint_dns: from what the customer sent). */
  hosts?(inputs: Record<string, unknown>): string[];
  /** Why the vendor or the service owner refused the endpoint: what the customer does about it (a clause after ": "). */
  refusedFix?: string;
  /** The outputs of an active case beyond the endpoint's id, from the inputs (vendor_service_dns). */
  activeOutputs?(inputs: Record<string, unknown>): Record<string, unknown>;
  /** redshift_managed: the cluster and the AWS account that owns it. */
  cluster?(inputs: Record<string, unknown>): { identifier: string; account: string } | undefined;
}

/** The names a case claims: one kind per flow, the values as the inputs give them (claims.ts normalises host names). */
export interface ClaimSpec {
  kind: ClaimKind;
  of(inputs: Record<string, unknown>): string[];
}

/** Words that differ per flow where the case's state is shared by all (where it stands, e-mails). */
export interface FlowWords {
  /** awaiting_customer_action, on the case page: what the customer does ("register the VPC endpoint …"). */
  awaiting?: { task: { you: string; other: string }; detail: { you: string; other: string } };
  /** provisioning again after the customer sent their part (registered_endpoint_dns). */
  resumed?: { headline: string; detail: { you: string; other: string } };
  /** The e-mail's sentence for awaiting_customer_action, and for a case the CSM accepted. */
  emailAwaiting?: string;
  emailAccepted?: string;
}

/**
 * How an engineer's connection test reaches the warehouse through the endpoint: Snowflake's login to the account in
 * the outputs, HTTPS to a host, or a Postgres login to the endpoint's host and port (the outputs read with readOutputs).
 */
export type ConnectionSpec =
  | { protocol: 'snowflake' }
  | { protocol: 'https'; host(inputs: Record<string, unknown>): string | undefined }
  | { protocol: 'postgres'; defaultDatabase: string; port(inputs: Record<string, unknown>, outputs: Record<string, unknown>): number };

/** "Check from our side" for a flow (lib/preflight/checks.ts runs the checks of its kind). */
export interface PreflightSpec {
  /** Which checks run: they read the edge account the way the edge kind reaches the warehouse. */
  checks: 'customer_service' | 'vendor_service' | 'regional_service' | 'redshift_grant';
  /** The phase whose details the checks verify (the checks of later phases wait). */
  phase: InputPhase;
  /** The wizard steps whose details the checks verify: they carry the "Check from our side" button. */
  stepIds: readonly string[];
}

export interface FlowDefinition {
  /** The flow's key in the registry and in cases.warehouse: lower-case letters, digits and underscores. */
  warehouse: string;
  name: string;
  summary: string;
  /** What the customer needs before starting, for the warehouse cards. */
  needs: string[];
  steps: FlowStep[];
  /** Wizard screens, in order. */
  customerSteps: CustomerStep[];
  /** Whether provisioning stops in awaiting_customer_action for the customer to act on the new endpoint. */
  usesAwaitingCustomerAction: boolean;
  edge: EdgeSpec;
  claims: ClaimSpec;
  preflight?: PreflightSpec;
  connection: ConnectionSpec;
  words?: FlowWords;
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
