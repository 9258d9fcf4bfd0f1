import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { oidcEnabled } from '@/lib/auth/options';
import { landingPath } from '@/lib/auth/policy';
import { currentUser } from '@/lib/auth/session';
import { publicOrigin, safeCallbackPath } from '@/lib/public-url';
import { AddressNotice } from '@/app/_components/address-notice';
import { SignInForm } from './_components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

// What a refused single sign-on says (lib/auth/options.ts names the refusals; next-auth its own errors).
const SSO_ERRORS: Record<string, string> = {
  sso_no_role:
    'Single sign-on refused: your account at the identity provider is in no group that grants a portal role. Ask an administrator to add you to one, then sign in again.',
  sso_customer:
    'Single sign-on is for staff only. This e-mail address belongs to a customer account: sign in with your e-mail address and password below.',
  sso_disabled: 'Single sign-on refused: this portal account is disabled. Ask an administrator to enable it.',
  sso_no_email:
    'Single sign-on refused: the identity provider did not send an e-mail address for your account. Ask an administrator to check the SSO settings.',
  OAuthSignin: 'Single sign-on could not start. Try again, or sign in with your e-mail and password.',
  OAuthCallback:
    'Single sign-on did not complete: the identity provider’s answer could not be verified, so you were not signed in. Start again with “Sign in with SSO”.',
  Callback: 'Single sign-on did not complete, so you were not signed in. Try again in a moment.',
  AccessDenied: 'Single sign-on refused this account.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentUser();
  if (user) redirect(landingPath(user.role));
  const params = await searchParams;
  const error = typeof params.error === 'string' ? (SSO_ERRORS[params.error] ?? null) : null;
  // Only a path on this portal; anything else (another host, `/\host`, `//host`) goes to the landing page instead.
  const callbackUrl = safeCallbackPath(params.callbackUrl, publicOrigin());
  return (
    <>
      <AddressNotice expected={publicOrigin()} />
      <main className="flex min-h-screen items-center justify-center px-4 py-12">
        <div className="w-full max-w-sm">
          <div className="mb-8 text-center">
            <p className="text-sm font-semibold uppercase tracking-wider text-indigo-700">PrivateLink Portal</p>
            <h1 className="mt-2 text-2xl font-semibold text-slate-900">Sign in</h1>
            <p className="mt-2 text-sm text-slate-700">Private AWS connectivity from our edge account to your warehouse.</p>
          </div>
          <SignInForm sso={oidcEnabled()} initialError={error} callbackUrl={callbackUrl} />
        </div>
      </main>
    </>
  );
}
