/**
 * The shape every validator here returns. Validators never throw on bad input: they say what is wrong, which rule it
 * breaks and how to fix it, in one sentence a customer can act on.
 */

/** A failed prerequisite: the input field (dotted path when nested), a machine id for the rule, one actionable sentence. */
export interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
}

/** The result of parsing one value: the normalised value, or the rule it breaks and the sentence to show. */
export type Checked<T> = { ok: true; value: T } | { ok: false; rule: string; message: string };

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function fail<T = never>(rule: string, message: string): Checked<T> {
  return { ok: false, rule, message };
}

/** "a", "a or b", "a, b or c" — for messages that list the choices. */
export function listOf(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
