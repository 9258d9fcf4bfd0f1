import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '@/app/_components/ui/page-header';
import { getDb } from '@/db/index';
import { roleAllows } from '@/lib/auth/policy';
import { requirePageUser } from '@/lib/auth/session';
import { EMAIL_KIND_LABEL } from '@/lib/notifications/rules';
import { emailPreferences } from '@/lib/outbox/admin';
import { EmailPreferences } from './_components/email-preferences';

export const metadata: Metadata = { title: 'Your account' };
export const dynamic = 'force-dynamic';

// /account – the signed-in user's own settings: which kinds of e-mail they get (docs/design.md#the-outbox).
export default async function AccountPage() {
  const user = await requirePageUser('account.email_preferences');
  const prefs = await emailPreferences(await getDb(), user);
  return (
    <>
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      <section aria-labelledby="email-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <h2 id="email-heading" className="text-base font-semibold text-slate-900">
          E-mail
        </h2>
        <p className="mt-1 mb-3 text-sm text-slate-700">
          Choose what the portal e-mails you. Notifications in the portal always stay, whatever you choose here.
        </p>
        {prefs.length === 0 ? (
          <p className="text-sm text-slate-700">Your role gets no e-mail from the portal.</p>
        ) : (
          <EmailPreferences kinds={prefs.map((p) => ({ kind: p.kind, label: EMAIL_KIND_LABEL[p.kind], on: p.on }))} />
        )}
      </section>
      {roleAllows(user.role, 'token.manage') ? (
        <section aria-labelledby="tokens-heading" className="mt-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="tokens-heading" className="text-base font-semibold text-slate-900">
            API tokens
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            Automate from scripts or the <code>plp</code> command line with a token that acts as you.{' '}
            <Link href="/account/tokens" className="font-medium text-indigo-800 underline">
              Manage API tokens
            </Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
