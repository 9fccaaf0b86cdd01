'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { formatCount } from '@/components/format-number';
import { endOfUtcDay } from '@/lib/format-time';
import { ResultText } from '@/components/ui/result-text';
import type { AllowlistImpact } from '@/lib/allowlist/preview-allowlist-impact';
import { previewAllowlistAction } from '../alerts/actions';
import { createAllowlistEntryAction, type EntryActionResult } from './actions';
import { ConditionRows, toCondition, type Choices, type Row } from './edit-form';

const FIRST_ROW: Row = { field: 'username', op: 'exact', value: '' };

/** "Add an entry": conditions, scope, reason and expiry, previewed, then saved as the false-positive form saves. */
export function CreateEntryForm({ rules, fields }: Choices) {
  const router = useRouter();
  const [shown, setShown] = useState(false);
  const [rows, setRows] = useState<Row[]>([FIRST_ROW]);
  const [ruleId, setRuleId] = useState('');
  const [impact, setImpact] = useState<{ key: string; impact: AllowlistImpact } | null>(null);
  const [result, setResult] = useState<EntryActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const scope = { ruleId: ruleId || null, conditions: rows.filter((row) => row.value.trim()).map(toCondition) };
  const scopeKey = JSON.stringify(scope);

  function preview() {
    setResult(null);
    startTransition(async () => {
      const outcome = await previewAllowlistAction(scope);
      if (outcome.ok) setImpact({ key: scopeKey, impact: outcome.impact });
      else setResult(outcome);
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const outcome = await createAllowlistEntryAction({
        ...scope,
        reason: String(form.get('reason') ?? ''),
        expiresAt: endOfUtcDay(String(form.get('expires') ?? '')),
      });
      setResult(outcome);
      if (outcome.ok) {
        setShown(false);
        setRows([FIRST_ROW]);
        setImpact(null);
        router.refresh();
      }
    });
  }

  if (!shown)
    return (
      <div className="entry-create-bar">
        <button type="button" onClick={() => setShown(true)}>
          Add an entry…
        </button>
        <ResultText result={result} />
      </div>
    );
  return (
    <form className="entry-edit entry-create" aria-label="Add an allowlist entry" onSubmit={submit}>
      <h2>Add an allowlist entry</h2>
      <p className="muted small">
        Events matching every condition no longer count toward alerts. Matching is exact, by prefix, glob or CIDR —
        never by substring. Saving closes the open alerts the entry fully explains as false positive.
      </p>
      <ConditionRows rows={rows} fields={fields} onChange={setRows} />
      <label>
        Applies to
        <select name="ruleId" value={ruleId} onChange={(event) => setRuleId(event.target.value)}>
          <option value="">All rules</option>
          {rules.map((rule) => (
            <option key={rule.id} value={rule.id}>
              {rule.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <textarea
          name="reason"
          rows={2}
          required
          maxLength={2000}
          placeholder="Why this activity is known to be benign"
        />
      </label>
      <label>
        Expires (optional)
        <input name="expires" type="date" />
      </label>
      <div className="fp-actions">
        <button type="button" className="secondary" disabled={pending} onClick={preview}>
          Preview impact
        </button>
        <button type="submit" disabled={pending}>
          Add entry
        </button>
        <button type="button" className="secondary" onClick={() => setShown(false)}>
          Cancel
        </button>
        <ResultText result={result} />
      </div>
      {impact ? (
        <p role="status" aria-label="Impact preview" className="small">
          {impact.key === scopeKey ? '' : 'The conditions changed since this preview. '}
          Would have matched <strong>{formatCount(impact.impact.evidenceEvents)}</strong> evidence event(s) and{' '}
          <strong>{formatCount(impact.impact.alerts)}</strong> past alert(s) in full;{' '}
          <strong>{formatCount(impact.impact.storedEvents)}</strong> stored audit event(s) match. Saving closes{' '}
          <strong>{formatCount(impact.impact.alertsToClose)}</strong> open alert(s).
        </p>
      ) : null}
    </form>
  );
}
