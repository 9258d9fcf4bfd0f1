import { z } from 'zod';
import type { AuditFilter } from '@/db/queries/audit';
import { addDays, dayStart, utcDay } from '@/lib/domain/utc-day';
import { safeText } from '@/lib/validation/text';

// The audit log's filters, as they arrive in the URL of /audit and /api/audit/export. Empty fields mean "any".

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDay = (s: string) => DAY.test(s) && utcDay(dayStart(s)) === s;

// The audit log holds nothing outside these years, and the database cannot represent some dates a real day can be
// written as (year 0, the day after 9999-12-31), so a date outside them is refused rather than sent to the query.
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2099-12-31';

const day = (label: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .refine(isRealDay, `The ${label} date must be a real day written YYYY-MM-DD (UTC), like 2025-03-31.`)
      .refine(
        (s) => !isRealDay(s) || (s >= FIRST_DAY && s <= LAST_DAY),
        `The ${label} date must lie between ${FIRST_DAY} and ${LAST_DAY}: choose a day in that range.`,
      )
      .optional(),
  );

const cursor = z.preprocess(
  blank,
  z.coerce
    .number({ error: 'The page cursor must be a number: use the page links.' })
    .int('The page cursor must be a whole number: use the page links.')
    .positive('The page cursor must be positive: use the page links.')
    .optional(),
);

export const auditFilterSchema = z
  .object({
    actor: z.preprocess(blank, safeText().trim().max(254, 'Search for an actor with at most 254 characters.').optional()),
    action: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, 'Choose an action from the list (like “user.create”, or “user.*” for every user action).')
        .optional(),
    ),
    workspace: z.preprocess(blank, z.string().uuid('Choose a workspace from the list.').optional()),
    // Autosaves of wizard answers (case.save_inputs) are many and rarely wanted: hidden unless asked for, or named.
    autosaves: z.preprocess(blank, z.enum(['1'], { error: 'Tick the box to include autosaves, or leave it empty.' }).optional()),
    from: day('“from”'),
    to: day('“to”'),
    before: cursor,
    after: cursor,
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to && isRealDay(v.from) && isRealDay(v.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `The “to” date (${v.to}) is before the “from” date (${v.from}): swap them.` });
    }
    if (v.before !== undefined && v.after !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: 'Use either the newer or the older page link, not both.' });
    }
  });

export type AuditFilterInput = z.output<typeof auditFilterSchema>;

export function toAuditFilter(input: AuditFilterInput): AuditFilter {
  const toBefore = input.to ? dayStart(addDays(input.to, 1)) : undefined;
  return {
    actor: input.actor,
    action: input.action,
    hideAutosaves: !input.autosaves && !input.action,
    workspaceId: input.workspace,
    fromAt: input.from ? dayStart(input.from) : undefined,
    toBefore,
  };
}

/** The filter as URL parameters (for page links and the export link), without the page cursor. */
export function filterParams(input: Partial<AuditFilterInput>): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of ['actor', 'action', 'workspace', 'autosaves', 'from', 'to'] as const) {
    const v = input[key];
    if (v) p.set(key, v);
  }
  return p;
}
