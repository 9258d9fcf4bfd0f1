import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/app/_components/ui/badge';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { formatDateTime } from '@/app/_components/ui/format';
import { PageHeader } from '@/app/_components/ui/page-header';
import { Table, Td } from '@/app/_components/ui/table';
import { getDb } from '@/db/index';
import { requirePageUser } from '@/lib/auth/session';
import { listTokens, MAX_TOKEN_DAYS } from '@/lib/tokens';
import { CreateTokenForm } from './_components/create-token-form';
import { RevokeTokenButton } from './_components/revoke-token-button';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

const day = (d: Date) => d.toISOString().slice(0, 10);

// /account/tokens – the signed-in person's API tokens (docs/design.md#the-public-api): make one, see when each was
// last used, revoke. A token acts with its owner's role, narrowed by its scope.
export default async function TokensPage() {
  const user = await requirePageUser('token.manage');
  const tokens = await listTokens(await getDb(), user);
  const now = new Date();
  const plus = (days: number) => day(new Date(now.getTime() + days * 86_400_000));
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Tokens let scripts and the <code>plp</code> command line use the portal’s API as you, with your role. See the{' '}
            <Link href="/docs/api" className="font-medium text-indigo-800 underline">
              API reference and an automation example
            </Link>
            .
          </>
        }
      />
      <section aria-labelledby="new-token-heading" className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <h2 id="new-token-heading" className="mb-3 text-base font-semibold text-slate-900">
          New token
        </h2>
        <CreateTokenForm defaultExpiry={plus(90)} minExpiry={plus(1)} maxExpiry={plus(MAX_TOKEN_DAYS - 1)} />
      </section>
      <h2 className="mb-2 text-base font-semibold text-slate-900">Your tokens</h2>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens yet">Tokens you make appear here with when they were last used.</EmptyState>
      ) : (
        <Table caption="Your API tokens" head={['Name', 'Scope', 'Token', 'Created', 'Expires', 'Last used', 'Status']}>
          {tokens.map((t) => {
            const status = t.revokedAt ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active';
            return (
              <tr key={t.id}>
                <Td>{t.name}</Td>
                <Td>{t.scope}</Td>
                <Td>
                  <code className="font-mono text-xs">{t.prefix}…</code>
                </Td>
                <Td>{formatDateTime(t.createdAt)}</Td>
                <Td>{formatDateTime(t.expiresAt)}</Td>
                <Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</Td>
                <Td>
                  {status === 'active' ? (
                    <RevokeTokenButton id={t.id} name={t.name} />
                  ) : (
                    <Badge tone="neutral">{status === 'revoked' ? `revoked ${formatDateTime(t.revokedAt!)}` : 'expired'}</Badge>
                  )}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
    </>
  );
}
