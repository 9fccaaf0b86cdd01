'use client';

import { useActionState } from 'react';
import { createTokenAction, revokeTokenAction, type CreateTokenState, type RevokeTokenState } from './actions';

export function CreateTokenForm({ scopes }: { scopes: { scope: string; description: string }[] }) {
  const [state, submit, busy] = useActionState<CreateTokenState, FormData>(createTokenAction, null);
  return (
    <>
      <form action={submit} className="inline-form" aria-label="New token">
        <label>
          Name
          <input name="name" required maxLength={80} placeholder="prod-cluster webhook" />
        </label>
        <fieldset className="scope-choices">
          <legend>Scopes</legend>
          {scopes.map(({ scope, description }) => (
            <label key={scope} className="checkbox" title={description}>
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'ingest'} /> {scope}
            </label>
          ))}
        </fieldset>
        <label>
          Expires after (days, optional)
          <input type="number" name="expiresInDays" min={1} max={3650} />
        </label>
        <button type="submit" disabled={busy}>
          Create token
        </button>
      </form>
      <p className="muted small">
        The audit webhook takes a token with only the ingest scope, so a leaked webhook kubeconfig cannot read alerts.
      </p>
      {state && !state.ok ? (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      ) : null}
      {state && state.ok ? (
        <div className="token-once" role="status">
          <p>
            Token <strong>{state.name}</strong> ({state.scopes.join(', ')}). Copy it now: it is not shown again.
          </p>
          <code className="token-value">{state.token}</code>
        </div>
      ) : null}
    </>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, submit, busy] = useActionState<RevokeTokenState, FormData>(revokeTokenAction, null);
  return (
    <form action={submit} className="inline-form compact" aria-label={`Revoke ${name}`}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" className="danger" disabled={busy}>
        Revoke
      </button>
      {state && !state.ok ? <span className="error-text">{state.message}</span> : null}
    </form>
  );
}
