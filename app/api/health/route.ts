// GET /api/health – 200 with the database round-trip time when the database answers, 503 otherwise. Public.
import { NextResponse } from 'next/server';
import { pingDatabase } from '@/db/index';

export const dynamic = 'force-dynamic';

const TIMEOUT_MS = 3_000;

export async function GET() {
  try {
    const ms = await Promise.race([
      pingDatabase(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), TIMEOUT_MS)),
    ]);
    return NextResponse.json(
      { status: 'ok', database: { status: 'up', roundTripMs: Math.round(ms * 100) / 100 } },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    console.error('[health] database check failed:', (err as Error).message);
    return NextResponse.json(
      { status: 'unavailable', database: { status: 'down' } },
      { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '5' } },
    );
  }
}
