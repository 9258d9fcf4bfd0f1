import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import type { DatabaseHandle } from '@/db/index';

type Handler = (req: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<'GET' | 'POST' | 'PUT', Handler>>;

// The /api/v1 route files and the paths Next maps to them, written out here (not derived from the operations), so a
// documented operation without a route file fails the contract test.
const ROUTES: [RegExp, string[], () => Promise<RouteModule>][] = [
  [/^\/api\/v1\/me$/, [], () => import('@/app/api/v1/me/route')],
  [/^\/api\/v1\/openapi\.json$/, [], async () => (await import('@/app/api/v1/openapi.json/route')) as unknown as RouteModule],
  [/^\/api\/v1\/cases$/, [], () => import('@/app/api/v1/cases/route')],
  [/^\/api\/v1\/cases\/([^/]+)$/, ['id'], () => import('@/app/api/v1/cases/[id]/route')],
  [/^\/api\/v1\/cases\/([^/]+)\/events$/, ['id'], () => import('@/app/api/v1/cases/[id]/events/route')],
  [/^\/api\/v1\/cases\/([^/]+)\/preflight$/, ['id'], () => import('@/app/api/v1/cases/[id]/preflight/route')],
  [/^\/api\/v1\/cases\/([^/]+)\/steps\/([^/]+)$/, ['id', 'stepId'], () => import('@/app/api/v1/cases/[id]/steps/[stepId]/route')],
  [/^\/api\/v1\/endpoints$/, [], () => import('@/app/api/v1/endpoints/route')],
  [/^\/api\/v1\/usage$/, [], () => import('@/app/api/v1/usage/route')],
];

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function serve(req: IncomingMessage, res: ServerResponse, origin: string) {
  const url = new URL(req.url ?? '/', origin);
  const route = ROUTES.find(([re]) => re.test(url.pathname));
  const mod = route ? await route[2]() : null;
  const handler = mod?.[req.method as 'GET' | 'POST' | 'PUT'];
  if (!route || !handler) {
    res.writeHead(route ? 405 : 404).end();
    return;
  }
  const match = route[0].exec(url.pathname)!;
  const params = Object.fromEntries(route[1].map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
  const body = req.method === 'GET' ? undefined : await readAll(req);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  // What proxy.ts stamps on every request.
  headers.set('x-request-id', `test-${Math.random().toString(36).slice(2, 10)}`);
  const answer = await handler(new NextRequest(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined }), {
    params: Promise.resolve(params),
  });
  res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * The /api/v1 route handlers over real HTTP on a local port, on the given test database (put where getDb() finds the
 * process's database).
 */
export async function startApiServer(handle: DatabaseHandle): Promise<{ url: string; close(): Promise<void> }> {
  (globalThis as unknown as { __plpDb?: Promise<{ handle: DatabaseHandle }> }).__plpDb = Promise.resolve({ handle });
  let origin = '';
  const server = createServer((req, res) => {
    serve(req, res, origin).catch((err) => {
      console.error(err);
      res.writeHead(599).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A small client for the tests: JSON in and out, a token, optional extra headers. */
export function apiClient(base: string, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}
