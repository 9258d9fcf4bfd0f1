'use client';

import { signOutEverywhereAction } from '../account/actions';

/**
 * Sign out through next-auth's own endpoint (CSRF token first), without shipping next-auth's client library to every
 * page of the portal.
 */
async function signOut() {
  const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
  await fetch('/api/auth/signout', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/signin', json: 'true' }),
  });
  window.location.assign('/signin');
}

/** End every session of this account (other browsers, copied cookies), then go to sign-in. */
async function signOutEverywhere() {
  const res = await signOutEverywhereAction({});
  if (res.ok || res.code === 'unauthenticated') window.location.assign('/signin');
  else window.alert(res.message);
}

const BUTTON = 'rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-200 hover:bg-slate-800 hover:text-white';

export function SignOutButton() {
  return (
    <>
      <button type="button" onClick={() => void signOut()} className={BUTTON}>
        Sign out
      </button>
      <button type="button" onClick={() => void signOutEverywhere()} className={BUTTON}>
        Sign out everywhere
      </button>
    </>
  );
}
