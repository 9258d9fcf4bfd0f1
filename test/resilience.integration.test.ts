import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/index';
import { isDatabaseUnavailable, toErrorResponse } from '@/lib/auth/guard';
import { createTestDatabase, hasRealPostgres } from './support/db';

/** A TCP relay to PostgreSQL that can drop every connection and refuse new ones, then come back on the same port. */
function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  return {
    get port() {
      return port;
    },
    up: listen,
    async down() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
  };
}

// The database going away: requests fail with a clear 503 and recover by themselves.
describe.runIf(hasRealPostgres)('when the database goes away and comes back', () => {
  let base: DatabaseHandle & { url?: string };
  let proxied: DatabaseHandle;
  let r: ReturnType<typeof relay>;

  beforeAll(async () => {
    base = await createTestDatabase({ real: true });
    const u = new URL(base.url!);
    r = relay({ host: u.hostname, port: Number(u.port || 5432) });
    await r.up();
    u.host = `127.0.0.1:${r.port}`;
    proxied = await openDatabase({ url: u.toString() });
  });
  afterAll(async () => {
    await proxied?.close().catch(() => {});
    await r?.down();
    await base?.close();
  });

  it('answers 503 with a clear message while it is away, and works again without a restart', async () => {
    await expect(proxied.db.execute(sql`select 1`)).resolves.toBeDefined();
    await r.down();
    let failure: unknown;
    try {
      await proxied.db.execute(sql`select 1`);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeDefined();
    expect(isDatabaseUnavailable(failure)).toBe(true);
    const res = toErrorResponse(failure, 'req-1');
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe('The database is not answering right now. Nothing was changed; try again in a moment.');

    await r.up();
    await expect(proxied.db.execute(sql`select 1`)).resolves.toBeDefined();
  });
});
