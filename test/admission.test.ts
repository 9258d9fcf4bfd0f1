import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdmission } from '@/scripts/admission.mjs';

// The admission limit scripts/server.mjs puts in front of Next, on a real node:http server. Each request's handler
// holds its response open until the test finishes it, so what runs and what waits is decided by the test, not by time.

type Held = { name: string; res: http.ServerResponse };

async function serve(limits: { concurrency: number; queueLength: number }) {
  const admit = createAdmission(limits);
  const ran: Held[] = [];
  const arrivals: ((name: string) => void)[] = [];
  const runs: ((held: Held) => void)[] = [];
  const seen = new Map<string, http.IncomingMessage>();
  const server = http.createServer((req, res) => {
    const name = req.url!.slice(1);
    seen.set(name, req);
    admit(req, res, () => {
      const held = { name, res };
      ran.push(held);
      runs.shift()?.(held);
    });
    arrivals.shift()?.(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Sends GET /name and resolves once the server has seen it (run, queued or turned away); `reply` is its answer. */
  async function send(name: string) {
    const arrived = new Promise<string>((resolve) => arrivals.push(resolve));
    const req = http.request({ port, host: '127.0.0.1', path: `/${name}`, agent: false });
    const reply = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
    });
    reply.catch(() => {}); // requests still held when the test ends are reset by afterEach
    req.end();
    await arrived;
    return { req, reply };
  }
  const nextRun = () => new Promise<Held>((resolve) => runs.push(resolve));
  const finish = (held: Held) => held.res.end(`done ${held.name}`);
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  servers.push({ close, server });
  /** Resolves once the server's end of that request's connection has closed. */
  const serverSawClose = (name: string) => new Promise<void>((resolve) => seen.get(name)!.socket.once('close', () => resolve()));
  return { send, ran, nextRun, finish, serverSawClose };
}

const servers: { close: () => Promise<void>; server: http.Server }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.server.closeAllConnections();
    await s.close();
  }
});

describe('createAdmission', () => {
  it('runs `concurrency` at once, queues in arrival order, and answers 503 with Retry-After past the queue', async () => {
    const s = await serve({ concurrency: 2, queueLength: 2 });
    const a = await s.send('a');
    const b = await s.send('b');
    const c = await s.send('c');
    const d = await s.send('d');
    expect(s.ran.map((h) => h.name)).toEqual(['a', 'b']);

    const e = await s.send('e');
    const turnedAway = await e.reply;
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers['retry-after']).toBe('1');
    expect(JSON.parse(turnedAway.body).error).toMatch(/busy.*try again/i);

    const third = s.nextRun();
    s.finish(s.ran[1]!); // b finishes first: c, the oldest waiter, takes its slot
    expect((await third).name).toBe('c');
    expect((await b.reply).body).toBe('done b');
    const fourth = s.nextRun();
    s.finish(s.ran[0]!);
    expect((await fourth).name).toBe('d');
    expect(s.ran.map((h) => h.name)).toEqual(['a', 'b', 'c', 'd']);
    s.finish(s.ran[2]!);
    s.finish(s.ran[3]!);
    expect((await Promise.all([a.reply, c.reply, d.reply])).map((r) => r.body)).toEqual(['done a', 'done c', 'done d']);
  });

  it('drops a waiting request whose client hung up, and does not count it against the queue', async () => {
    const s = await serve({ concurrency: 1, queueLength: 1 });
    await s.send('a');
    const quitter = await s.send('quitter');
    const hungUp = s.serverSawClose('quitter');
    quitter.req.on('error', () => {});
    quitter.req.destroy();
    await hungUp;
    // The queue holds one, and its only waiter has gone: a new request waits instead of being turned away.
    const late = await s.send('late');
    const next = s.nextRun();
    s.finish(s.ran[0]!);
    expect((await next).name).toBe('late');
    expect(s.ran.map((h) => h.name)).toEqual(['a', 'late']);
    s.finish(s.ran[1]!);
    expect((await late.reply).status).toBe(200);
  });

  it('skips a waiter that hung up when a slot is given back', async () => {
    const s = await serve({ concurrency: 1, queueLength: 5 });
    await s.send('a');
    const quitter = await s.send('quitter');
    const late = await s.send('late');
    const hungUp = s.serverSawClose('quitter');
    quitter.req.on('error', () => {});
    quitter.req.destroy();
    await hungUp;
    const next = s.nextRun();
    s.finish(s.ran[0]!);
    expect((await next).name).toBe('late');
    s.finish(s.ran[1]!);
    expect((await late.reply).body).toBe('done late');
    expect(s.ran.map((h) => h.name)).toEqual(['a', 'late']);
  });

  it('with a queue length of 0, turns away whatever finds every slot taken', async () => {
    const s = await serve({ concurrency: 1, queueLength: 0 });
    await s.send('a');
    expect((await (await s.send('b')).reply).status).toBe(503);
    expect(s.ran.map((h) => h.name)).toEqual(['a']);
  });
});
