// GET /api/changes?case=<id> | ?list=cases|queue|notifications – the change tag of what one page shows, as an ETag
// (304 while it is unchanged), so that open pages refresh themselves when a case moves on. The reader sees only
// what the page itself would show them: a case of another workspace is a 404, the queue is staff-only.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { caseChangeTag, caseListChangeTag, notificationsChangeTag } from '@/db/queries/changes';
import { route } from '@/lib/auth/guard';
import { roleAllows } from '@/lib/auth/policy';
import { forbiddenError, notFoundError, validationError } from '@/lib/errors';
import { STAFF_QUEUE_STATES } from '@/lib/domain/case-states';

const querySchema = z.object({
  case: z.string().uuid('case must be a case id (a UUID).').optional(),
  list: z.enum(['cases', 'queue', 'notifications'], { error: 'list must be one of cases, queue, notifications.' }).optional(),
});

export const GET = route({ permission: 'case.view', query: querySchema }, async (req, { db, user, query }) => {
  if ((query.case === undefined) === (query.list === undefined)) {
    throw validationError('Ask about one thing: ?case=<case id> or ?list=cases|queue|notifications.', {
      query: ['Give exactly one of case and list.'],
    });
  }
  let tag: string | null;
  if (query.case) tag = await caseChangeTag(user, query.case, db);
  else if (query.list === 'notifications') tag = await notificationsChangeTag(user, db);
  else {
    if (query.list === 'queue' && !roleAllows(user.role, 'queue.view')) throw forbiddenError();
    tag = await caseListChangeTag(user, query.list === 'queue' ? STAFF_QUEUE_STATES : undefined, db);
  }
  if (tag === null) throw notFoundError('No such case in your workspace.');
  const etag = `"${tag}"`;
  // private: per reader; no-cache: the browser may keep it but must ask again each time (and gets 304s).
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (req.headers.get('if-none-match') === etag) return new NextResponse(null, { status: 304, headers });
  return NextResponse.json({ tag }, { headers });
});
