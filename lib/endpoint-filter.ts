import { z } from 'zod';
import { ENDPOINT_SORTS, type EndpointQuery } from '@/db/queries/endpoints';
import { AWS_REGION_PATTERN } from '@/lib/domain/aws-region';
import { WAREHOUSES } from '@/lib/domain/warehouses';
import { safeText } from '@/lib/validation/text';

/**
 * The endpoint dashboard's filters, sort and page as the page and the CSV export read them from the URL. Bad values
 * fall back to defaults (never a 500), except a search holding characters no endpoint can match: that is refused,
 * not dropped, so the page can say why.
 */
export const endpointFilterSchema = z.object({
  q: safeText().trim().max(100, 'Search with at most 100 characters.').optional(),
  workspace: z.string().uuid().optional().catch(undefined),
  warehouse: z.enum(WAREHOUSES).optional().catch(undefined),
  region: z.string().regex(AWS_REGION_PATTERN).optional().catch(undefined),
  state: z
    .string()
    .regex(/^[a-zA-Z]{1,32}$/)
    .optional()
    .catch(undefined),
  flag: z.enum(['drift', 'error']).optional().catch(undefined),
  sort: z.enum(ENDPOINT_SORTS).catch('created').default('created'),
  dir: z.enum(['asc', 'desc']).catch('desc').default('desc'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
}) satisfies z.ZodType<EndpointQuery, unknown>;
