#!/usr/bin/env node
// `npm run bench`: build if needed, then run every benchmark in bench/ one after the other, each printing its figures.
// bench:load ends with the load targets (docs/deploy.md#benchmarks); BENCH_DATABASE_URL adds PostgreSQL and scale-out.
import { spawnSync } from 'node:child_process';

const run = (args, env = {}) => {
  const r = spawnSync('npm', ['run', ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) console.error(`[bench] ${args.join(' ')} exited with ${r.status}`);
  return r.status ?? 1;
};
let failed = 0;
failed += run(['build']) ? 1 : 0;
for (const b of ['bench:reconcile', 'bench:endpoints', 'bench:load', 'bench:bundle', 'bench:lighthouse']) failed += run([b]) ? 1 : 0;
process.exit(failed ? 1 : 0);
