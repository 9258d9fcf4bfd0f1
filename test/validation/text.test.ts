import { describe, expect, it } from 'vitest';
import { auditFilterSchema } from '@/lib/admin/audit-filter';
import { createUserSchema, createWorkspaceSchema } from '@/lib/admin/schemas';
import { fieldErrorsOf } from '@/lib/errors';
import { safeText, textIssue } from '@/lib/validation/text';

// The one character check every text input goes through. Expected rules are written out per input.
describe('textIssue', () => {
  it.each([
    ['plain text', {}, null],
    ['Zürich 😀 👩‍👩‍👧‍👦 مرحبا', { bidi: true }, null], // real scripts and emoji (surrogate pairs) are fine
    ['line one\nline two\ttabbed\r\n', {}, null],
    ['a\u0000b', {}, 'text.control_character'],
    ['\u0007bell', {}, 'text.control_character'],
    ['del\u007f', {}, 'text.control_character'],
    ['c1\u0085', {}, 'text.control_character'],
    ['\uD800', {}, 'text.unpaired_surrogate'],
    ['x\uDC00y', {}, 'text.unpaired_surrogate'],
    ['\uDBFF\uDBFF\uDC00', {}, 'text.unpaired_surrogate'],
    ['abc\u202Efdp.exe', { bidi: true }, 'text.bidi_control'],
    ['\u202Aembed', { bidi: true }, 'text.bidi_control'],
    ['\u2066isolate\u2069', { bidi: true }, 'text.bidi_control'],
    ['mark\u200F', { bidi: true }, 'text.bidi_control'],
    ['mark\u200E', { bidi: true }, 'text.bidi_control'],
    ['arabic mark\u061C', { bidi: true }, 'text.bidi_control'],
    ['abc\u202Efdp', {}, null], // direction marks are refused only where asked (names, reasons)
  ])('%j %j → %s', (value, rules, rule) => {
    expect(textIssue(value, rules)?.rule ?? null).toBe(rule);
  });

  it('says which character and where', () => {
    expect(textIssue('ab\u0000', {})?.message).toBe(
      'Must not contain control characters (found U+0000 at position 3): remove it and try again.',
    );
    expect(textIssue('x\u202E', { bidi: true })?.message).toBe(
      'Must not contain characters that change the text direction (found U+202E at position 2): remove it and try again.',
    );
  });

  it('is a zod string that still chains', () => {
    const schema = safeText().trim().min(2);
    expect(schema.safeParse('  ok  ').data).toBe('ok');
    expect(schema.safeParse('o\u0000k').success).toBe(false);
  });
});

describe('schemas refuse such text naming the field', () => {
  it.each([
    [createUserSchema, { email: 'a@b.example', name: 'Eve\u202E', role: 'csm' }, 'name', 'text direction'],
    [createUserSchema, { email: 'a\u0000@b.example', name: 'Eve', role: 'csm' }, 'email', 'control characters'],
    [createWorkspaceSchema, { name: 'Acme\uD800' }, 'name', 'broken characters'],
    [auditFilterSchema, { actor: 'ada\u0000' }, 'actor', 'control characters'],
  ] as const)('%#: %j → %s', (schema, input, field, words) => {
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(fieldErrorsOf(r.error!)[field]?.join(' ')).toContain(words);
  });
});

describe('audit filter dates', () => {
  it.each([
    [{ from: '0000-01-01' }, 'from', 'The “from” date must lie between 2000-01-01 and 2099-12-31: choose a day in that range.'],
    [{ to: '9999-12-31' }, 'to', 'The “to” date must lie between 2000-01-01 and 2099-12-31: choose a day in that range.'],
    [{ from: '1999-12-31' }, 'from', 'The “from” date must lie between 2000-01-01 and 2099-12-31: choose a day in that range.'],
  ])('%j is refused', (input, field, message) => {
    const r = auditFilterSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(fieldErrorsOf(r.error!)[field]).toEqual([message]);
  });

  it('accepts the first and the last day of the range', () => {
    expect(auditFilterSchema.safeParse({ from: '2000-01-01', to: '2099-12-31' }).success).toBe(true);
  });
});
