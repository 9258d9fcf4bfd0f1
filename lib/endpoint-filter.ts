import { endpointQuerySchema } from '@/db/queries/endpoints';
import { safeText } from '@/lib/validation/text';

/**
 * The endpoint dashboard's filters as the page and the CSV export read them: the query's own schema (bad values fall
 * back to defaults), except that a search holding characters no endpoint can match is refused, not dropped, so the
 * page can say why.
 */
export const endpointFilterSchema = endpointQuerySchema.extend({
  q: safeText().trim().max(100, 'Search with at most 100 characters.').optional(),
});
