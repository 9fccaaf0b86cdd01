import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { formatUtc } from '@/components/format-time';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { requirePageActor } from '@/lib/auth/require-actor';
import { scopeDescriptions, tokenScopes } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { CreateTokenForm, RevokeTokenButton } from './client';

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
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const expired = token.expiresAt !== null && token.expiresAt <= now;
                const status = token.revokedAt ? 'revoked' : expired ? 'expired' : 'active';
                return (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{token.scopes.join(', ')}</td>
                    <td className="nowrap">
                      {formatUtc(token.createdAt)}
                      {token.createdBy ? <span className="muted"> by {token.createdBy}</span> : null}
                    </td>
                    <td className="nowrap">{token.lastUsedAt ? formatUtc(token.lastUsedAt) : 'never'}</td>
                    <td className="nowrap">{token.expiresAt ? formatUtc(token.expiresAt) : 'never'}</td>
                    <td>
                      <span className={`status status-${status === 'active' ? 'completed' : 'failed'}`}>{status}</span>
                    </td>
                    <td>{status === 'active' ? <RevokeTokenButton tokenId={token.id} name={token.name} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
