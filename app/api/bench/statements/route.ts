// GET /api/bench/statements – how many SQL statements this server process has sent so far, for bench/load.ts's
// queries-per-request figure. Admins only, and 404 unless the server runs with BENCH_QUERY_COUNT=1
// (docs/deploy.md#benchmarks).
import { NextResponse } from 'next/server';
import { statementCount } from '@/db/index';
import { route } from '@/lib/auth/guard';
import { notFoundError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export const GET = route({ permission: 'admin.view' }, async () => {
  const statements = statementCount();
  if (statements === null) throw notFoundError('Statement counting is off: it is on only when BENCH_QUERY_COUNT=1.');
  return NextResponse.json({ statements });
});
