import { z } from 'zod';
import { ROLES, type Role, CUSTOMER_ROLES } from '@/lib/domain/roles';
import { safeText } from '@/lib/validation/text';

// Input schemas of the admin services. Shared by the server actions (FormData, strings) and direct callers (tests).

/** '' (an empty form field or "none" option) means "not given". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const ROLE_LABEL: Record<Role, string> = {
  customer_admin: 'Workspace admin',
  customer_viewer: 'Read-only workspace member',
  csm: 'CSM',
  engineer: 'Engineer',
  admin: 'Administrator',
};

const roleSchema = z.enum(ROLES, {
  error: `Choose a role: ${ROLES.map((r) => ROLE_LABEL[r]).join(', ')}.`,
});

const optionalWorkspaceId = z.preprocess(blank, z.string().uuid('Choose a workspace from the list.').optional());

export const emailSchema = safeText({}, { error: 'Enter an e-mail address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter an e-mail address, like name@company.com.')
  .max(254, 'E-mail addresses are at most 254 characters.')
  .email('That is not an e-mail address: use the form name@company.com.');

/** Customers belong to exactly one workspace; staff see every workspace and belong to none (db check constraint). */
function workspaceMatchesRole(v: { role?: Role; workspaceId?: string }, ctx: z.RefinementCtx) {
  if (!v.role || !ROLES.includes(v.role)) return;
  const customer = CUSTOMER_ROLES.includes(v.role);
  if (customer && !v.workspaceId) {
    ctx.addIssue({
      code: 'custom',
      path: ['workspaceId'],
      message: `A ${ROLE_LABEL[v.role].toLowerCase()} belongs to one workspace: choose it.`,
    });
  }
  if (!customer && v.workspaceId) {
    ctx.addIssue({
      code: 'custom',
      path: ['workspaceId'],
      message: `A ${ROLE_LABEL[v.role]} sees every workspace and belongs to none: choose “No workspace (staff)”.`,
    });
  }
}

export const createUserSchema = z
  .object({
    email: emailSchema,
    name: safeText({ bidi: true }, { error: 'Enter the person’s name.' })
      .trim()
      .min(1, 'Enter the person’s name.')
      .max(100, 'Keep the name under 100 characters.'),
    role: roleSchema,
    workspaceId: optionalWorkspaceId,
  })
  .superRefine(workspaceMatchesRole);

export const changeRoleSchema = z
  .object({
    userId: z.string().uuid('That is not a user id.'),
    role: roleSchema,
    workspaceId: optionalWorkspaceId,
  })
  .superRefine(workspaceMatchesRole);

export const setDisabledSchema = z.object({
  userId: z.string().uuid('That is not a user id.'),
  // FormData sends "true" / "false"; direct callers send booleans.
  disabled: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: 'Say whether the account is disabled (true) or enabled (false).',
  }),
});

export const unlockSignInSchema = z.object({
  userId: z.string().uuid('That is not a user id.'),
});

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const createWorkspaceSchema = z.object({
  name: safeText({ bidi: true }, { error: 'Enter the workspace name.' })
    .trim()
    .min(2, 'Give the workspace a name of at least 2 characters.')
    .max(80, 'Keep the workspace name under 80 characters.'),
  slug: z.preprocess(
    blank,
    safeText({ bidi: true })
      .trim()
      .toLowerCase()
      .max(40, 'Keep the short name under 40 characters.')
      .regex(SLUG, 'The short name uses lower-case letters, digits and single hyphens between them, like “acme-eu”.')
      .optional(),
  ),
});

/** "Acme Analytics (EU)" → "acme-analytics-eu"; '' when nothing usable is left. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

export type CreateUserInput = z.input<typeof createUserSchema>;
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;
export type SetDisabledInput = z.input<typeof setDisabledSchema>;
export type UnlockSignInInput = z.input<typeof unlockSignInSchema>;
export type CreateWorkspaceInput = z.input<typeof createWorkspaceSchema>;
