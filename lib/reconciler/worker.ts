/**
 * `npm run worker`: the reconciler and the outbox's delivery loop (docs/design.md#the-outbox) as their own process, for deployments that run it apart from the web servers.
 * Needs DATABASE_URL: the embedded PGlite database may be opened by one process only, and that is `npm start`, which
 * already runs the reconciler inside the server. Several workers (and servers) may run against one PostgreSQL.
 */
import { openDatabase } from '@/db/index';
import { startReconciler } from './start';
import { outboxEnabled, prepareOutbox } from '@/lib/outbox/loop';
import { readSettings } from '@/lib/settings';

async function main() {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    console.error(
      '[worker] DATABASE_URL is not set. The embedded default (PGlite in ./.data) can be opened by one process only, and ' +
        '`npm start` already runs the reconciler inside the server. Set DATABASE_URL to a PostgreSQL server to run a separate worker.',
    );
    process.exit(1);
  }
  try {
    readSettings();
  } catch (err) {
    console.error(`[worker] ${(err as Error).message}`);
    process.exit(1);
  }
  const handle = await openDatabase({ url });
  let loop: Awaited<ReturnType<typeof startReconciler>>;
  let delivery: ReturnType<ReturnType<typeof prepareOutbox>> | null = null;
  try {
    // OUTBOX_ONLY=1 runs only the delivery loop (a process that sends mail and nothing else).
    loop = process.env.OUTBOX_ONLY === '1' ? { stop: async () => {}, wake: () => {} } : await startReconciler(handle.db);
    if (outboxEnabled()) delivery = prepareOutbox()(handle.db);
  } catch (err) {
    console.error(`[worker] cannot start: ${(err as Error).message}`);
    await handle.close();
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing the round in progress…`);
    await Promise.all([loop.stop(), delivery?.stop()]);
    await handle.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[worker] failed:', err);
  process.exit(1);
});
