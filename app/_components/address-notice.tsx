'use client';

import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * A warning at the top of every page when the browser opened the portal at another address than the one it is set up
 * for (`NEXTAUTH_URL`, lib/public-url.ts): forms sent from there are refused by the same-origin check (proxy.ts), and
 * without this the refusal would look like an outage. Says where to go instead. Renders nothing on the server and when
 * the addresses match.
 */
export function AddressNotice({ expected }: { expected: string }) {
  const here = useSyncExternalStore(
    never,
    () => window.location.origin,
    () => expected,
  );
  if (here === expected) return null;
  return (
    <div role="alert" className="border-b border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="mx-auto max-w-7xl">
        You opened the portal at <strong>{here}</strong>, but it is set up to be used at <strong>{expected}</strong> (
        <code>NEXTAUTH_URL</code>): forms sent from this address are refused.{' '}
        <a className="font-semibold underline" href={`${expected}${window.location.pathname}${window.location.search}`}>
          Open this page at {expected}
        </a>
        .
      </p>
    </div>
  );
}
