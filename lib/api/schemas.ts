/**
 * The public API's request and response shapes, as zod schemas: the handlers parse requests with them, build answers
 * typed by them, and the OpenAPI document is generated from them (lib/api/openapi.ts), so the three cannot disagree.
 */
import { z } from 'zod';
import { CASE_STATES } from '@/lib/domain/case-states';
import { ROLES } from '@/lib/domain/roles';
import { WAREHOUSES } from '@/lib/domain/warehouses';
import { CASE_EVENTS } from '@/lib/cases/machine';
import { TOKEN_SCOPES } from '@/lib/tokens/scopes';

const when = z.iso.datetime({ offset: true });

export const NEXT_ACTORS = ['customer', 'csm', 'engineer', 'portal', 'nobody'] as const;

// --- Requests
export const caseIdParamsSchema = z.object({ id: z.uuid({ error: 'The case id is a UUID, as returned by POST /cases.' }) });
export const stepParamsSchema = caseIdParamsSchema.extend({
  stepId: z.string().min(1).max(64).meta({ description: 'A setup step id, as listed in the case’s `steps`.' }),
});

const limit = z.coerce
  .number({ error: 'limit must be a whole number from 1 to 100.' })
  .int('limit must be a whole number from 1 to 100.')
  .min(1, 'limit must be a whole number from 1 to 100.')
  .max(100, 'limit must be a whole number from 1 to 100.')
  .default(25);
const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'cursor must be the nextCursor of the previous page, unchanged.')
  .optional()
  .meta({ description: 'The `nextCursor` of the previous page; omit for the first page.' });

export const listCasesQuerySchema = z.object({
  limit,
  cursor,
  state: z.enum(CASE_STATES, { error: `state must be one of: ${CASE_STATES.join(', ')}.` }).optional(),
});
export const listEndpointsQuerySchema = z.object({ limit, cursor });
export const usageQuerySchema = z.object({
  workspace: z
    .uuid({ error: 'workspace must be a workspace id (staff only; customers always get their own).' })
    .optional()
    .meta({ description: 'Staff: the workspace to read. Customers always read their own; this is ignored for them.' }),
});

export const createCaseBodySchema = z
  .object({
    warehouse: z.enum(WAREHOUSES, { error: `warehouse must be one of: ${WAREHOUSES.join(', ')}.` }),
    region: z.string().max(32).optional().meta({ description: 'An eligible AWS region; the first eligible one when omitted.' }),
    inputs: z.record(z.string().max(64), z.unknown()).default({}).meta({
      description: 'The answers of the setup steps filled in before submitting (field name → value), checked as the wizard checks them.',
    }),
  })
  .meta({ id: 'CreateCase' });

export const saveStepBodySchema = z
  .object({
    version: z.number({ error: 'version must be the case version you read (a number).' }).int().positive(),
    values: z.record(z.string().max(64), z.unknown(), { error: 'values must be an object of field name to value.' }),
  })
  .meta({ id: 'StepValues' });

export const eventBodySchema = z
  .object({
    event: z.enum(CASE_EVENTS, { error: `event must be one of: ${CASE_EVENTS.join(', ')}.` }),
    version: z.number({ error: 'version must be the case version you read (a number).' }).int().positive(),
    note: z.string().max(2_000).optional().meta({ description: 'A note, or the reason a rejection or cancellation needs.' }),
  })
  .meta({ id: 'CaseEvent' });

// --- Responses
const standingSchema = z.object({
  headline: z.string(),
  detail: z.string(),
  customerMustAct: z.boolean(),
});

export const caseSummarySchema = z
  .object({
    id: z.uuid(),
    reference: z.string().meta({ description: 'PL-<number>, as the portal shows it.' }),
    warehouse: z.enum(WAREHOUSES),
    region: z.string(),
    state: z.enum(CASE_STATES),
    stateLabel: z.string(),
    version: z.number().int(),
    workspace: z.object({ id: z.uuid(), name: z.string() }),
    standing: standingSchema.meta({ description: 'Where the case stands, in the words of the case page.' }),
    nextActor: z
      .enum(NEXT_ACTORS)
      .meta({ description: 'Who acts next: the customer, the CSM, an engineer, the portal itself, or nobody.' }),
    createdAt: when,
    updatedAt: when,
  })
  .meta({ id: 'CaseSummary' });

const checkSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.string(),
  detail: z.string(),
  command: z.string().optional(),
  stepId: z.string(),
});
export const preflightSchema = z.object({ at: when, trigger: z.string(), checks: z.array(checkSchema) }).meta({ id: 'Preflight' });

export const caseDetailSchema = caseSummarySchema
  .extend({
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.record(z.string(), z.unknown()),
    lastError: z.string().nullable(),
    steps: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        phase: z.enum(['draft', 'details', 'after_endpoint']),
        open: z.boolean().meta({ description: 'Whether the customer can give this step’s details now.' }),
      }),
    ),
    events: z.array(z.enum(CASE_EVENTS)).meta({ description: 'The events the caller’s role may fire in this state.' }),
    preflight: preflightSchema.nullable(),
  })
  .meta({ id: 'Case' });

export const caseListSchema = z.object({ data: z.array(caseSummarySchema), nextCursor: z.string().nullable() }).meta({ id: 'CaseList' });

export const saveStepResultSchema = z
  .object({
    version: z.number().int(),
    issues: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })),
  })
  .meta({ id: 'StepSaved' });

export const timelineSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.number().int(),
        event: z.string(),
        fromState: z.enum(CASE_STATES).nullable(),
        toState: z.enum(CASE_STATES),
        actorRole: z.string(),
        actorName: z.string().nullable(),
        note: z.string().nullable(),
        createdAt: when,
      }),
    ),
  })
  .meta({ id: 'Timeline' });

export const endpointListSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.uuid(),
        caseId: z.uuid(),
        reference: z.string(),
        warehouse: z.enum(WAREHOUSES),
        region: z.string(),
        kind: z.string(),
        state: z.string(),
        awsId: z.string().nullable(),
        serviceName: z.string().nullable(),
        dnsName: z.string().nullable(),
        port: z.number().int().nullable(),
        createdAt: when,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'EndpointList' });

export const usageSchema = z
  .object({
    workspace: z.object({ id: z.uuid(), name: z.string() }),
    month: z.string().meta({ description: 'YYYY-MM, UTC.' }),
    endpointsUsed: z.number().int(),
    endpointLimit: z.number().int(),
    monthBytes: z.number().int(),
    monthlyTransferLimitGib: z.number().int(),
    transferPercent: z.number(),
    daily: z.array(z.object({ day: z.string(), bytes: z.number().int() })),
  })
  .meta({ id: 'Usage' });

export const meSchema = z
  .object({
    user: z.object({
      id: z.uuid(),
      email: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      workspaceId: z.uuid().nullable(),
    }),
    token: z.object({ id: z.uuid(), name: z.string(), scope: z.enum(TOKEN_SCOPES), expiresAt: when }),
  })
  .meta({ id: 'Me' });
