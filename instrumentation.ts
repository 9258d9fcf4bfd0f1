// Runs once per server process, in the Node runtime, not during `next build`
// (docs/platform-notes.md#instrumentationts): open the database, apply migrations and seed the embedded demo data at
// start, so that a fresh `npm start` prints the demo accounts; then start the provisioning reconciler in this process
// (one loop per process; RECONCILER=off leaves it to `npm run worker`) and the outbox's delivery loop
// (docs/design.md#the-outbox; OUTBOX=off likewise).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // A bad setting stops the start, naming the variable, rather than running on a silent default.
  const { readSettings } = await import('./lib/settings');
  try {
    readSettings();
  } catch (err) {
    console.error(`[startup] ${(err as Error).message}`);
    globalThis.process.exit(1);
  }
  try {
    const { trustedProxies } = await import('./lib/client-address');
    trustedProxies();
  } catch (err) {
    // Every request reads it: refuse to start with a wrong value rather than fail each request.
    console.error(`[startup] ${(err as Error).message}`);
    globalThis.process.exit(1);
  }
  const { ready, getDb, setDatabaseInit } = await import('./db/index');
  const { seedDemoIfWanted } = await import('./lib/demo-seed');
  setDatabaseInit((db) => seedDemoIfWanted(db, { embedded: !process.env.DATABASE_URL }));
  try {
    await ready();
    console.log('[startup] database ready');
  } catch (err) {
    // The server still starts: /api/health answers 503 and requests retry the connection.
    console.error('[startup] database not ready:', (err as Error).message);
  }
  try {
    const { startReconcilerInProcess } = await import('./lib/reconciler/start');
    // getDb retries the connection itself, so a database that comes up later still gets a reconciler.
    startReconcilerInProcess(getDb);
  } catch (err) {
    // A bad EDGE_CONFIG, say: the portal still serves, but nothing is provisioned until it is fixed and restarted.
    console.error('[startup] reconciler not started:', (err as Error).message);
  }
  try {
    const { startOutboxInProcess } = await import('./lib/outbox/loop');
    startOutboxInProcess(getDb);
  } catch (err) {
    // A bad SMTP_URL, say: the portal still serves and keeps every message in the outbox until it is fixed.
    console.error('[startup] outbox delivery not started:', (err as Error).message);
  }
}
