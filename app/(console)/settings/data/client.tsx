'use client';

import { useActionState, useRef } from 'react';
import { saveRetentionAction, type RetentionState } from './actions';

/** A retention period for every cluster ("*") or one; empty days removes it. Asks before dropping stored events. */
export function RetentionForm({
  scope,
  days,
  label,
  clusters,
}: {
  scope: string | null;
  days: number | null;
  label: string;
  clusters?: string[];
}) {
  const [state, submit, busy] = useActionState<RetentionState, FormData>(saveRetentionAction, null);
  const form = useRef<HTMLFormElement>(null);
  const needsConfirm = state !== null && !state.ok && 'confirm' in state;
  return (
    <form action={submit} ref={form} className="inline-form" aria-label={label}>
      {scope === null ? (
        <label>
          Cluster
          <input
            name="scope"
            required
            list="retention-clusters"
            maxLength={253}
            defaultValue={needsConfirm ? state.scope : ''}
          />
          <datalist id="retention-clusters">
            {clusters?.map((cluster) => (
              <option key={cluster} value={cluster} />
            ))}
          </datalist>
        </label>
      ) : (
        <input type="hidden" name="scope" value={scope} />
      )}
      <label>
        Keep raw events for (days)
        <input
          type="number"
          name="days"
          min={1}
          max={36500}
          defaultValue={state && !state.ok ? state.days : (days ?? '')}
          placeholder="forever"
        />
      </label>
      {needsConfirm ? <input type="hidden" name="confirm" value="yes" /> : null}
      <button type="submit" className={needsConfirm ? 'danger' : undefined} disabled={busy}>
        {needsConfirm ? 'Confirm and save' : 'Save'}
      </button>
      {state ? (
        <p className={state.ok ? 'muted' : 'error-text'} role={state.ok ? 'status' : 'alert'}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
