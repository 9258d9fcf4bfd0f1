#!/usr/bin/env node
// The server Playwright tests run against: the production build (`npm start`'s own path) on a fresh database —
// a new database on the real PostgreSQL when TEST_DATABASE_URL is set, else a fresh PGlite data directory —
// with the demo accounts seeded and their password fixed by E2E_PASSWORD.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = { ...process.env };
env.PORT = env.E2E_PORT ?? '3100';
env.DEMO_PASSWORD = env.E2E_PASSWORD ?? 'e2e-Password-1';
env.SEED_DEMO = '1';
env.DATA_DIR = path.join(root, '.data-e2e');
env.BCRYPT_ROUNDS = '10';
env.DEMO_ENDPOINT_LIMIT = env.DEMO_ENDPOINT_LIMIT ?? '50';
// The sandbox edge account behaves like AWS, only faster, so that provisioning finishes within a test's patience. The
// customer's side has no timing: the specs act for the customer in the case page's sandbox panel.
env.SANDBOX_DELAY_MS = env.SANDBOX_DELAY_MS ?? '500';
env.RECONCILER_IDLE_MS = env.RECONCILER_IDLE_MS ?? '300';
env.RECONCILER_POLL_MS = env.RECONCILER_POLL_MS ?? '500';
env.RECONCILER_WAIT_CUSTOMER_MS = env.RECONCILER_WAIT_CUSTOMER_MS ?? '1000';
// Staff single sign-on through the test identity provider that e2e/idp.ts starts, on the port it computes the same way.
// The portal contacts it only while someone signs in with SSO, so only the specs that do so start it.
env.OIDC_ISSUER = `http://localhost:${env.E2E_OIDC_PORT ?? Number(env.PORT) + 1}`;
env.OIDC_CLIENT_ID = 'privatelink-portal-e2e';
env.OIDC_CLIENT_SECRET = 'e2e-oidc-client-secret';
delete env.OIDC_GROUPS_CLAIM;
delete env.OIDC_ROLE_MAP;
delete env.OIDC_SCOPE;
rmSync(env.DATA_DIR, { recursive: true, force: true });

if (env.TEST_DATABASE_URL) {
  const base = new URL(env.TEST_DATABASE_URL);
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(base.hostname)) {
    throw new Error(`Refusing to recreate an e2e database on non-local host ${base.hostname}`);
  }
  const admin = new pg.Client({ connectionString: env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query('drop database if exists plp_e2e with (force)');
  await admin.query('create database plp_e2e');
  await admin.end();
  base.pathname = '/plp_e2e';
  env.DATABASE_URL = base.toString();
  console.log('[e2e] using PostgreSQL database plp_e2e');
} else {
  delete env.DATABASE_URL;
  console.log(`[e2e] using PGlite in ${env.DATA_DIR}`);
}

const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
