#!/usr/bin/env node
// The production server `npm start` runs: Next's own request handler behind a plain node:http server. It exists for
// one reason: Next 16 tells route handlers, server actions and proxy.ts nothing about the socket — it copies the
// socket's address into X-Forwarded-For only when the client sent none, so a client could name its own address. Here
// the peer that really connected is appended to X-Forwarded-For, as every proxy does; lib/client-address.ts walks the
// list from that end and believes only the hops TRUSTED_PROXIES names. It also admits at most SERVER_CONCURRENCY
// requests into Next at once, queues up to SERVER_QUEUE_LENGTH more in arrival order and turns the rest away with a
// 503 (scripts/admission.mjs; docs/deploy.md#memory says why).
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { ADMISSION_DEFAULTS, createAdmission } from './admission.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '0.0.0.0';

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

/** A path whose percent-escapes are not UTF-8 (like %ED%A0%80, half a surrogate pair): Next would answer 500. */
function malformedPath(url) {
  try {
    decodeURIComponent((url ?? '/').split('?')[0]);
    return false;
  } catch {
    return true;
  }
}

// Read after prepare(): instrumentation.ts has checked every setting by then and stopped the start on a bad one.
const setting = (name, fallback) => (process.env[name]?.trim() ? Number(process.env[name]) : fallback);
const admit = createAdmission({
  concurrency: setting('SERVER_CONCURRENCY', ADMISSION_DEFAULTS.concurrency),
  queueLength: setting('SERVER_QUEUE_LENGTH', ADMISSION_DEFAULTS.queueLength),
});

const server = http.createServer((req, res) => {
  if (malformedPath(req.url)) {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify({ error: 'This address is not valid: it holds percent-escapes that are not UTF-8. Check the link.' }));
    return;
  }
  const peer = req.socket.remoteAddress ?? '';
  const sent = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(sent) ? sent.join(', ') : (sent ?? '')).trim();
  req.headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  // The readiness check is never queued behind pages: a busy server is still a ready one.
  if ((req.url ?? '/').split('?')[0] === '/api/health') void handle(req, res);
  else admit(req, res, () => void handle(req, res));
});
server.listen(port, hostname, () => console.log(`[server] listening on http://${hostname}:${port}`));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
