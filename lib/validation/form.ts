/**
 * Reading raw form values. Forms post strings ("on" for a ticked checkbox, "" for an empty field); API clients and
 * stored drafts send JSON types. These helpers accept both, so every validator sees the same thing.
 */

/** A trimmed non-empty string, or undefined for missing/blank values. Numbers are read as their decimal text. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const TICKED = new Set(['on', 'true', 'yes', '1']);

/** A checkbox: true for true or the strings browsers and APIs use for "ticked"; false for everything else. */
export function readCheckbox(value: unknown): boolean {
  if (value === true || value === 1) return true;
  return typeof value === 'string' && TICKED.has(value.trim().toLowerCase());
}

export type NumberReading = { kind: 'missing' } | { kind: 'not_a_number'; raw: string } | { kind: 'number'; value: number };

// Plain decimal notation only: Number() would also take "0x1539", "1e3" or " ", which nobody means as a port.
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** A number from a number or its decimal text; "" and undefined are missing, anything else is not a number. */
export function readNumber(value: unknown): NumberReading {
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'not_a_number', raw: String(value) };
  }
  if (typeof value !== 'string') return { kind: 'not_a_number', raw: String(value) };
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'missing' };
  return DECIMAL.test(trimmed) ? { kind: 'number', value: Number(trimmed) } : { kind: 'not_a_number', raw: trimmed };
}
