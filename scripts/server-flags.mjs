// The Node.js flags the production server runs with, shared by `npm start` (scripts/start.mjs) and the benchmarks
// (bench/support.ts) so that what is measured is what runs. docs/deploy.md#memory says why each is there.
//
// --max-semi-space-size=4 (MiB): V8's young generation, where nearly everything a page render allocates lives and
// dies. Left to V8 on a machine with a lot of memory it grows to its largest, and a warm server under load rose to
// 420–720 MiB resident; at 4 MiB it stayed near 380 MiB for the same CPU time per request.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];

/** NODE_OPTIONS for the server: these flags first, so that an operator's own NODE_OPTIONS can override them. */
export function serverNodeOptions(existing = '') {
  return [...SERVER_NODE_FLAGS, existing].filter(Boolean).join(' ');
}
