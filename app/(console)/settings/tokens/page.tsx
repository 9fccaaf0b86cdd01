import type { Metadata } from 'next';
import { TokensTable } from '@/components/data-table/tokens/tokens-table';
import { PageHeader } from '@/components/page-header';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { requirePageActor } from '@/lib/auth/require-actor';
import { scopeDescriptions, tokenScopes } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { CreateTokenForm, RevokeTokenButton } from './client';
import './tokens.css';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  await requirePageActor('admin');
  const tokens = await listApiTokens(getDb());
  const now = new Date();
  return (
    <>
      <PageHeader
        title="API tokens"
        description="For REST clients, the kube-apiserver audit webhook and vigil ingest --server. Sent as Authorization: Bearer <token>."
      />
      <section className="panel" aria-label="New token">
        <h2>New token</h2>
        <CreateTokenForm scopes={tokenScopes.map((scope) => ({ scope, description: scopeDescriptions[scope] }))} />
      </section>
      <section className="panel" aria-label="Tokens">
        <h2>Tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">No tokens yet.</p>
        ) : (
          <TokensTable
            rows={tokens.map((token) => {
              const expired = token.expiresAt !== null && token.expiresAt <= now;
              const status = token.revokedAt ? 'revoked' : expired ? 'expired' : 'active';
              return {
                ...token,
                status,
                revoke: status === 'active' ? <RevokeTokenButton tokenId={token.id} name={token.name} /> : null,
              };
            })}
          />
        )}
      </section>
    </>
  );
}
