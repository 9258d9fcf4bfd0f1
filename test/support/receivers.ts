import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// Real receivers on 127.0.0.1 for the outbox's tests: an SMTP server (smtp-server) and an HTTP chat webhook (node:http).
// Each keeps everything it received and answers as the test scripts it.

export interface ReceivedMail {
  to: string[];
  raw: string;
  messageId: string | null;
  subject: string | null;
}

/** One header of a raw message (unfolded), or null. */
export function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const m = head.replace(/\r?\n[ \t]+/g, ' ').match(new RegExp(`^${name}:\\s*(.*)$`, 'im'));
  return m ? m[1]!.trim() : null;
}

/**
 * `hold` runs once a message's data has arrived and before the server answers 250, the moment SMTP hands a message
 * over (RFC 5321 §4.1.1.4). The server does not read from the connection meanwhile, so, like real servers, it does not
 * notice a client that went away and keeps the message (the duplicate window of RFC 1047).
 */
export async function startSmtp(
  opts: { reject?: (to: string) => number | null; hold?: (mail: ReceivedMail) => Promise<void> | void } = {},
) {
  const mails: ReceivedMail[] = [];
  // Settable after start, so one receiver can hold in one test and not in the next.
  const scripted = { hold: opts.hold };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = opts.reject?.(address.address) ?? null;
      if (code) {
        const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
        err.responseCode = code;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      stream.on('end', async () => {
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          messageId: header(raw, 'Message-ID'),
          subject: header(raw, 'Subject'),
        };
        await scripted.hold?.(mail);
        mails.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    mails,
    set hold(h: ((mail: ReceivedMail) => Promise<void> | void) | undefined) {
      scripted.hold = h;
    },
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Hit {
  body: Record<string, unknown> & { text: string; delivery_id: string };
  idempotencyKey: string | undefined;
}

export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number };

/** A hit is recorded when its request has arrived, before the answer: what a receiver acting on receipt would act on. */
type Answering = (hit: Hit, n: number) => Answer | Promise<Answer>;

export async function startHttp(answer: Answering = () => ({ status: 200 })) {
  const hits: Hit[] = [];
  const scripted: { answer: Answering | undefined } = { answer: undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', async () => {
      const hit: Hit = { body: JSON.parse(raw), idempotencyKey: req.headers['idempotency-key'] as string | undefined };
      hits.push(hit);
      const a = await (scripted.answer ?? answer)(hit, hits.length);
      setTimeout(() => res.writeHead(a.status, a.headers).end(a.status < 300 ? 'ok' : 'no'), a.delayMs ?? 0);
    });
  });
  // Idle connections stay open longer than any test: a client reusing one just as the server closes it would see a
  // connection reset (retried in production, but a test counting attempts would miscount).
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hits,
    /** Replaces the answer given at start until set back to undefined. */
    set answer(a: Answering | undefined) {
      scripted.answer = a;
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/chat`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
