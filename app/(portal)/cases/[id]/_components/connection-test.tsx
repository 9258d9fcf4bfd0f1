'use client';

import { useState } from 'react';
import { Button } from '@/app/_components/ui/button';
import type { ConnectionOutcome } from '@/lib/connection-test/words';
import { testConnectionAction } from '../../connection-actions';

const input = 'mt-1 block w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm';

/** Engineers' test connection: credentials typed here are sent once and never kept. */
export function ConnectionTest({
  caseId,
  protocol,
  defaultDatabase,
}: {
  caseId: string;
  /** How the test reaches the warehouse (the flow's `connection`): which credentials the form asks for. */
  protocol: 'snowflake' | 'https' | 'postgres';
  defaultDatabase?: string;
}) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<ConnectionOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(form: FormData) {
    setPending(true);
    setOutcome(null);
    setError(null);
    const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    const res = await testConnectionAction({ caseId, ...values });
    setPending(false);
    if (res.ok) setOutcome(res.data);
    else setError(res.message);
  }

  const pgLike = protocol === 'postgres';
  return (
    <section aria-labelledby="conn-heading" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 id="conn-heading" className="text-lg font-semibold text-slate-900">
        Test connection
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Connects through the endpoint from the edge. Credentials you type are used for this test only and never stored or logged.
      </p>
      <form action={run} className="mt-3 grid gap-3 sm:grid-cols-2" autoComplete="off">
        {protocol === 'https' ? (
          <label className="text-sm font-medium text-slate-900 sm:col-span-2">
            Personal access token (optional)
            <input name="token" type="password" className={input} />
          </label>
        ) : (
          <>
            <label className="text-sm font-medium text-slate-900">
              User
              <input name="user" className={input} required />
            </label>
            <label className="text-sm font-medium text-slate-900">
              Password
              <input name="password" type="password" className={input} />
            </label>
          </>
        )}
        {pgLike ? (
          <>
            <label className="text-sm font-medium text-slate-900">
              Database
              <input name="database" placeholder={defaultDatabase} className={input} />
            </label>
            <label className="text-sm font-medium text-slate-900">
              TLS
              <select name="tls" defaultValue="require" className={input}>
                <option value="require">Required</option>
                <option value="verify">Required, verify certificate</option>
                <option value="disable">Off</option>
              </select>
            </label>
          </>
        ) : null}
        {protocol === 'snowflake' ? (
          <>
            <label className="text-sm font-medium text-slate-900">
              Warehouse (optional)
              <input name="warehouse" className={input} />
            </label>
            <label className="text-sm font-medium text-slate-900">
              Role (optional)
              <input name="role" className={input} />
            </label>
          </>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? 'Testing…' : 'Test connection'}
          </Button>
        </div>
      </form>
      <p
        aria-live="polite"
        role="status"
        data-testid="connection-result"
        className={
          outcome || error
            ? `mt-3 rounded-md p-2 text-sm ${outcome?.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}`
            : 'sr-only'
        }
      >
        {error ?? outcome?.message}
      </p>
    </section>
  );
}
