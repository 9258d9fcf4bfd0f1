/** The bridge between these validators and zod: field schemas built from them, and zod issues as ValidationIssues. */
import { z } from 'zod';
import { type Checked, type ValidationIssue, fail, ok } from './result';
import { readCheckbox } from './form';
import { textIssue } from './text';

/**
 * A zod schema for one form field, backed by a validator: it coerces what forms post (strings, "on"), outputs the
 * normalised value and reports the validator's rule id (in `params.rule`) and message. Text with control or broken
 * characters is refused before the validator sees it (lib/validation/text.ts).
 */
export function checkedField<T>(parse: (value: unknown) => Checked<T>) {
  return z.unknown().transform((value, ctx): T => {
    const unsafe = typeof value === 'string' ? textIssue(value) : null;
    if (unsafe) {
      ctx.addIssue({ code: 'custom', message: unsafe.message, params: { rule: unsafe.rule } });
      return z.NEVER;
    }
    const result = parse(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, params: { rule: result.rule } });
    return z.NEVER;
  });
}

/** A checkbox that must be ticked: a prerequisite the customer confirms. */
export function confirmationField(rule: string, message: string) {
  return checkedField((value) => (readCheckbox(value) ? ok(true as const) : fail(rule, message)));
}

/** zod issues as ValidationIssues: dotted field path, the rule id a field schema attached (or `input.<code>`). */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return issues.map((issue) => {
    const rule = issue.code === 'custom' && typeof issue.params?.rule === 'string' ? issue.params.rule : `input.${issue.code}`;
    return { field: [...prefix, ...issue.path].map(String).join('.'), rule, message: issue.message };
  });
}

export interface PhasedSchema {
  phase: string;
  schema: z.ZodObject;
}

/**
 * Parses the fields of every step in the given phases one by one, so one bad field does not hide the others' values:
 * returns the issues and the parsed value of every field that passed.
 */
export function parseSteps(
  steps: readonly PhasedSchema[],
  inputs: Record<string, unknown>,
  phases: readonly string[],
): { issues: ValidationIssue[]; values: Record<string, unknown> } {
  const issues: ValidationIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const step of steps) {
    if (!phases.includes(step.phase)) continue;
    for (const [key, schema] of Object.entries(step.schema.shape)) {
      const result = z.safeParse(schema, inputs[key]);
      if (result.success) values[key] = result.data;
      else issues.push(...issuesFromZod(result.error.issues, [key]));
    }
  }
  return { issues, values };
}
