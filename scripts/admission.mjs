// How scripts/server.mjs admits requests into Next's handler: at most `concurrency` at once, up to `queueLength`
// more waiting in arrival order, and past that a 503 with Retry-After so that an overloaded server sheds load at
// once instead of letting every client wait. docs/deploy.md#memory says why. Plain JS because server.mjs runs
// without a build step; lib/settings.ts takes its defaults from here so that there is one of each.

/** Requests rendered at once, and requests waiting beyond those, when SERVER_CONCURRENCY / SERVER_QUEUE_LENGTH are unset. */
export const ADMISSION_DEFAULTS = Object.freeze({ concurrency: 8, queueLength: 200 });

const BUSY_BODY = JSON.stringify({
  error: 'The portal is busy: every request slot is taken and the queue is full. Try again in a few seconds.',
});

function busy(res) {
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'retry-after': '1',
    'cache-control': 'no-store',
  });
  res.end(BUSY_BODY);
}

/**
 * Returns `admit(req, res, run)`: calls `run()` now if a slot is free, later (oldest first) when one is given back,
 * or answers 503 when the queue is full. A slot is given back when `res` closes — sent, or its connection broke off.
 * A waiting request whose client hung up is dropped unserved.
 */
export function createAdmission({ concurrency, queueLength }) {
  let running = 0;
  /** @type {{ req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, run: () => void }[]} */
  let waiting = [];
  const gone = (w) => w.req.socket.destroyed;

  function occupy(res, run) {
    running += 1;
    res.once('close', release);
    run();
  }

  function release() {
    running -= 1;
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      if (!gone(next)) return occupy(next.res, next.run);
    }
  }

  return function admit(req, res, run) {
    if (running < concurrency) return occupy(res, run);
    if (waiting.length >= queueLength) waiting = waiting.filter((w) => !gone(w));
    if (waiting.length >= queueLength) return busy(res);
    waiting.push({ req, res, run });
  };
}
