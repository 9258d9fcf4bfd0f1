// Runs once per server process, in the Node runtime, not during `next build` (PITFALLS.md): open the database,
// apply migrations and seed the embedded demo data at start, so that a fresh `npm start` prints the demo accounts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { ready } = await import('./db/index');
  try {
    await ready();
    console.log('[startup] database ready');
  } catch (err) {
    // The server still starts: /api/health answers 503 and requests retry the connection.
    console.error('[startup] database not ready:', (err as Error).message);
  }
}
