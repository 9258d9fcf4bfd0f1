'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { Button } from '@/app/_components/ui/button';

export function SignInForm({ sso, initialError, callbackUrl }: { sso: boolean; initialError: string | null; callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(res?.error && res.error !== 'CredentialsSignin' ? res.error : 'Sign-in failed. Check your e-mail and password.');
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <div
        aria-live="assertive"
        role="alert"
        data-testid="signin-error"
        ref={errorRef}
        tabIndex={-1}
        className={error ? 'mb-4 rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200' : 'sr-only'}
      >
        {error}
      </div>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-800">
            E-mail
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            // biome-ignore lint/a11y/noAutofocus: the sign-in page exists to take the e-mail; focus starts there
            autoFocus
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-600"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-600"
          />
        </div>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {sso ? (
        <div className="mt-4 border-t border-slate-200 pt-4">
          <Button type="button" variant="secondary" className="w-full" onClick={() => signIn('oidc', { callbackUrl })}>
            Sign in with SSO (staff)
          </Button>
        </div>
      ) : null}
    </div>
  );
}
