/** Reading a case's stored inputs through the flow's own schemas, so that code past the wizard gets typed values. */
import { z } from 'zod';

/** The input `key` as the step's schema outputs it, or undefined when it is missing or does not pass. */
export function inputOf<S extends z.ZodObject, K extends keyof S['shape'] & string>(
  schema: S,
  key: K,
  inputs: Record<string, unknown>,
): z.output<S['shape'][K]> | undefined {
  const field = schema.shape[key];
  if (!field || inputs[key] === undefined) return undefined;
  const result = z.safeParse(field, inputs[key]);
  return result.success ? (result.data as z.output<S['shape'][K]>) : undefined;
}
