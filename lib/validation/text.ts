/**
 * Text that may be stored, searched or shown: the one check every text input goes through (zod schemas use
 * `safeText()`, wizard values `textIssue()`). PostgreSQL refuses NUL in text and unpaired UTF-16 surrogates in jsonb,
 * so such input would otherwise fail as a server error; control characters have no business in a form field; and
 * direction-changing characters (the "Trojan Source" characters) make a name or a reason read differently from what
 * is stored, so names and reasons refuse those too.
 */
import { z } from 'zod';

// C0 controls except tab, line feed and carriage return; DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this check is for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// A high surrogate not followed by a low one, or a low one without a high one before it.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), the LTR/RTL marks and the Arabic letter mark.
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export interface TextRules {
  /** Also refuse direction-changing characters (names, reasons, identifiers). */
  bidi?: boolean;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first rule the text breaks, with the sentence to show, or null when it is fine. */
export function textIssue(value: string, rules: TextRules = {}): { rule: string; message: string } | null {
  const control = CONTROL.exec(value);
  if (control) {
    return {
      rule: 'text.control_character',
      message: `Must not contain control characters (found ${codePoint(control[0])} at position ${control.index + 1}): remove it and try again.`,
    };
  }
  if (UNPAIRED_SURROGATE.test(value)) {
    return {
      rule: 'text.unpaired_surrogate',
      message: 'Must not contain broken characters (an unpaired UTF-16 surrogate): retype the text and try again.',
    };
  }
  const bidi = rules.bidi ? BIDI.exec(value) : null;
  if (bidi) {
    return {
      rule: 'text.bidi_control',
      message: `Must not contain characters that change the text direction (found ${codePoint(bidi[0])} at position ${bidi.index + 1}): remove it and try again.`,
    };
  }
  return null;
}

/** `z.string()` that refuses control characters and broken characters (and, with `bidi`, direction changes). */
export function safeText(rules: TextRules = {}, params?: Parameters<typeof z.string>[0]) {
  return z.string(params).superRefine((value, ctx) => {
    const issue = textIssue(value, rules);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, params: { rule: issue.rule } });
  });
}

/** Any JSON-like value whose strings (keys included, at any depth) all pass `textIssue`: free-form values and payloads. */
export function safeValue(rules: TextRules = {}) {
  return z.unknown().superRefine((value, ctx) => {
    const issue = deepTextIssue(value, rules);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, params: { rule: issue.rule } });
  });
}

/** Every string anywhere inside a JSON-like value (keys included) passes `textIssue`; for free-form payloads. */
export function deepTextIssue(value: unknown, rules: TextRules = {}, depth = 0): { rule: string; message: string } | null {
  if (typeof value === 'string') return textIssue(value, rules);
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const issue = textIssue(k, rules) ?? deepTextIssue(v, rules, depth + 1);
    if (issue) return issue;
  }
  return null;
}
