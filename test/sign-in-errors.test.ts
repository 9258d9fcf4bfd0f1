import { describe, expect, it, vi } from 'vitest';

// What the sign-in form is told when the database fails: a plain sentence, never the driver's text (SQL, host, port).
let failure: Error = new Error('unset');
vi.mock('@/db/index', () => ({ getDb: async () => Promise.reject(failure) }));
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));

const { authOptions } = await import('@/lib/auth/options');
const provider = authOptions.providers.find((p) => p.id === 'credentials') as unknown as {
  options: { authorize: (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
};

async function signInMessage(): Promise<string> {
  try {
    await provider.options.authorize({ email: 'ada@acme.example', password: 'x' }, { headers: { 'x-request-id': 'req-1' } });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the sign-in to fail');
}

describe('sign-in during a database failure', () => {
  it('says the database is unavailable, not where it is', async () => {
    failure = Object.assign(new Error('connect ECONNREFUSED 10.20.30.40:5432'), { code: 'ECONNREFUSED' });
    expect(await signInMessage()).toBe('The database is not answering right now. Nothing was changed; try again in a moment.');
  });

  it('never shows the SQL of an unexpected error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    failure = new Error('relation "users" does not exist: select "id", "password_hash" from "users" where "email" = $1');
    expect(await signInMessage()).toBe(
      'Something went wrong on our side and nothing was changed. Quote request req-1 if you contact support.',
    );
  });
});
