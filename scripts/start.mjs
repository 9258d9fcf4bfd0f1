#!/usr/bin/env node
// `npm start`: build when the sources' content changed since the last build (build-stamp.mjs), make sure a session
// secret exists, then serve the production build through scripts/server.mjs (migrations and demo seed run inside the
// server at start: instrumentation.ts).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildReason, recordBuild, sourceHashes } from './build-stamp.mjs';
import { serverNodeOptions } from './server-flags.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');

const reason = process.env.SKIP_BUILD === '1' ? null : buildReason(root);
if (reason) {
  console.log(`[start] building (${reason})…`);
  // Hashed before building: a source edited while the build runs makes the next start build again.
  const hashes = sourceHashes(root);
  const res = spawnSync(nextBin, ['build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (res.status !== 0) process.exit(res.status ?? 1);
  recordBuild(root, hashes);
}

// next-auth signs sessions with NEXTAUTH_SECRET. On the embedded default we generate one and keep it in the data
// directory (never in the repo), so sessions survive restarts.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
if (!env.NEXTAUTH_SECRET) {
  mkdirSync(dataDir, { recursive: true });
  const secretFile = path.join(dataDir, 'nextauth-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
  env.NEXTAUTH_SECRET = readFileSync(secretFile, 'utf8').trim();
  if (env.DATABASE_URL)
    console.warn(
      '[start] NEXTAUTH_SECRET is not set: using one generated in the data directory. Set it explicitly when running more than one server.',
    );
}
const port = env.PORT ?? '3000';
env.NEXTAUTH_URL ??= `http://localhost:${port}`;

env.PORT = port;
// scripts/server.mjs serves the build (Next's handler behind node:http, so the socket's address reaches the app).
const child = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
  stdio: 'inherit',
  env: { ...env, NODE_ENV: 'production', NODE_OPTIONS: serverNodeOptions(env.NODE_OPTIONS) },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
