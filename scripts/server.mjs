#!/usr/bin/env node
// The production server `npm start` runs: Next's own request handler behind a plain node:http server. It exists for
// one reason: Next 16 tells route handlers, server actions and proxy.ts nothing about the socket — it copies the
// socket's address into X-Forwarded-For only when the client sent none, so a client could name its own address. Here
// the peer that really connected is appended to X-Forwarded-For, as every proxy does; lib/client-address.ts walks the
// list from that end and believes only the hops TRUSTED_PROXIES names. It also admits at most SERVER_CONCURRENCY
// requests into Next at once and queues the rest in arrival order (docs/deploy.md#memory says why).
import http from 'node:http';
import path from 'node:path';
import next from 'next';

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
const admitted = Number(process.env.SERVER_CONCURRENCY || 8);
let running = 0;
/** Requests waiting for a slot, oldest first. One whose client hung up while it waited is dropped when its turn comes. */
const waiting = [];

/** Take a slot and run; the slot is given back when the response has been sent or its connection broke off. */
function occupy(res, run) {
  running += 1;
  res.once('close', release);
  run();
}

function release() {
  running -= 1;
  for (let next = waiting.shift(); next; next = waiting.shift()) {
    if (!next.req.socket.destroyed) return occupy(next.res, next.run);
  }
}

function admit(req, res, run) {
  if (running < admitted) occupy(res, run);
  else waiting.push({ req, res, run });
}

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
  if (req.url === '/api/health') void handle(req, res);
  else admit(req, res, () => void handle(req, res));
});
server.listen(port, hostname, () => console.log(`[server] listening on http://${hostname}:${port}`));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
