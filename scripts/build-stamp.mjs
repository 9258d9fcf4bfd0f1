// Whether `npm start` must build: decided by the content of the sources, not their modification times. `npm install`
// rewrites package-lock.json and touches node_modules without changing anything, and a checkout or copy resets
// mtimes; comparing content means only a real change rebuilds. A hash per source is kept next to the build
// (.next/source-hash.json), so the reason names what changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the production build is made from (relative to the project root). */
export const BUILD_SOURCES = [
  'app',
  'lib',
  'db',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.mjs',
  'package.json',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];

const STAMP = path.join('.next', 'source-hash.json');

/** A hash over the relative paths and contents of every file under `p` (a file or a directory), or null if absent. */
function hashOf(root, p) {
  const abs = path.join(root, p);
  if (!existsSync(abs)) return null;
  const hash = createHash('sha256');
  const walk = (rel) => {
    const full = path.join(root, rel);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) walk(path.join(rel, entry));
      return;
    }
    hash.update(rel.split(path.sep).join('/')).update('\0').update(readFileSync(full)).update('\0');
  };
  walk(p);
  return hash.digest('hex');
}

/** The hash of each source as it is now. */
export function sourceHashes(root, sources = BUILD_SOURCES) {
  return Object.fromEntries(sources.map((s) => [s, hashOf(root, s)]));
}

/** Why a build is needed ("no build yet", "lib changed since the last build"), or null when the build is current. */
export function buildReason(root, sources = BUILD_SOURCES) {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) return 'no build yet';
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(path.join(root, STAMP), 'utf8')).sources;
  } catch {
    return 'the last build did not record its sources';
  }
  const now = sourceHashes(root, sources);
  const changed = sources.find((s) => recorded?.[s] !== now[s]);
  return changed ? `${changed} changed since the last build` : null;
}

/** Remember the sources a build was made from; call with hashes taken before the build started. */
export function recordBuild(root, hashes) {
  writeFileSync(path.join(root, STAMP), `${JSON.stringify({ sources: hashes }, null, 2)}\n`);
}
