import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Benchmark baseline' };
export const dynamic = 'force-dynamic';

// /bench-baseline – the load benchmark's yardstick: the portal frame (root layout, CSP nonce, session, nav) rendered per
// request with no database work of its own. Absent (404) unless the benchmark starts the server with BENCH_BASELINE=1
// (docs/deploy.md#benchmarks).
export default async function BenchBaselinePage() {
  if (process.env.BENCH_BASELINE !== '1') notFound();
  const user = await requirePageUser();
  return <p className="text-sm text-slate-700">Signed in as {user.email}</p>;
}
