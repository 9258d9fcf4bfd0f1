// The Node.js flags the production server runs with, shared by `npm start` (scripts/start.mjs) and the benchmarks
// (bench/support.ts) so that what is measured is what runs. docs/deploy.md#memory says why each is there.
//
// --max-semi-space-size=4 (MiB): V8's young generation, where nearly everything a page render allocates lives and
// dies. Left to V8 on a machine with a lot of memory it grows to its largest, and a warm server under load rose to
// 420–720 MiB resident; at 4 MiB it stayed near 380 MiB for the same CPU time per request.
//
// --max-old-space-size=320 (MiB): V8's old generation. Without a limit V8 sizes it from the machine's memory and lets
// garbage pile up there: over the load benchmark's minutes of traffic the resident set climbed phase by phase to
// about 720 MiB, though what stayed live was near 100 MiB. With the limit V8 collects sooner and it stayed under
// 400 MiB (PostgreSQL) for the same throughput. An operator with a bigger instance raises it in NODE_OPTIONS.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=320'];

/** NODE_OPTIONS for the server: these flags first, so that an operator's own NODE_OPTIONS can override them. */
export function serverNodeOptions(existing = '') {
  return [...SERVER_NODE_FLAGS, existing].filter(Boolean).join(' ');
}
