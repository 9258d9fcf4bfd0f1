import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { statementCount } from '@/db/index';
import { createTestDatabase, hasRealPostgres } from './support/db';

// The benchmark's statements-per-request figure (docs/deploy.md#benchmarks) rests on this counter.
describe('statement counter', () => {
  afterEach(() => {
    delete process.env.BENCH_QUERY_COUNT;
  });

  it('is off (null) unless BENCH_QUERY_COUNT=1', async () => {
    delete process.env.BENCH_QUERY_COUNT;
    const h = await createTestDatabase({ real: false });
    await h.db.execute(sql`select 1`);
    expect(statementCount()).toBeNull();
    await h.close();
  });

  it.each([['PGlite', false], ...(hasRealPostgres ? ([['PostgreSQL', true]] as const) : [])] as const)(
    'counts each statement sent on %s, one per query',
    async (_name, real) => {
      process.env.BENCH_QUERY_COUNT = '1';
      const h = await createTestDatabase({ real });
      const before = statementCount();
      expect(before).not.toBeNull();
      await h.db.execute(sql`select 1`);
      await h.db.execute(sql`select 2`);
      await h.db.execute(sql`select 3`);
      expect(statementCount()).toBe(before! + 3);
      await h.close();
    },
  );
});
