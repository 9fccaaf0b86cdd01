'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { splitList } from '@/components/allowlist/conditions';
import { formatCount } from '@/components/format-number';
import { endOfUtcDay } from '@/lib/format-time';
import type { AllowlistImpact } from '@/lib/allowlist/preview-allowlist-impact';
import type { SuggestedConditions } from '@/lib/allowlist/suggest-conditions';
import type { AllowlistCondition } from '@/lib/allowlist/schemas';
import { closeAsFalsePositiveAction, previewAllowlistAction, type ActionResult } from '../actions';

type ConditionKey = 'cluster' | 'username' | 'sourceIp' | 'userAgent' | 'namespace' | 'secretNames' | 'podPrefix';

const CONDITIONS: { key: ConditionKey; label: string; hint: string; toCondition(value: string): AllowlistCondition }[] =
  [
    {
      key: 'username',
      label: 'User is exactly',
      hint: 'exact match',
      toCondition: (value) => ({ field: 'username', op: 'exact', value }),
    },
    {
      key: 'sourceIp',
      label: 'Source IP in',
      hint: 'IP addresses or CIDRs, comma-separated',
      toCondition: (value) => ({ field: 'sourceIp', op: 'cidr', value: splitList(value) }),
    },
    {
      key: 'userAgent',
      label: 'User agent is exactly',
      hint: 'exact match',
      toCondition: (value) => ({ field: 'userAgent', op: 'exact', value }),
    },
    {
      key: 'namespace',
      label: 'Namespace is one of',
      hint: 'comma-separated',
      toCondition: (value) => ({ field: 'namespace', op: 'oneOf', value: splitList(value) }),
    },
    {
      key: 'secretNames',
      label: 'Secret name matches',
      hint: 'globs, comma-separated: * any run, ? one character',
      toCondition: (value) => ({ field: 'name', op: 'glob', value: splitList(value) }),
    },
    {
      key: 'podPrefix',
      label: 'Pod name starts with',
      hint: 'prefix',
      toCondition: (value) => ({ field: 'podName', op: 'prefix', value }),
    },
    // Last: a narrowing of the conditions above (the same activity in another cluster stays alerted).
    {
      key: 'cluster',
      label: 'Cluster is',
      hint: 'cluster names, comma-separated',
      toCondition: (value) => ({ field: 'cluster', op: 'oneOf', value: splitList(value) }),
    },
  ];

function initialValues(suggestion: SuggestedConditions): Record<ConditionKey, string> {
  return {
    cluster: suggestion.cluster ?? '',
    username: suggestion.username ?? '',
    sourceIp: suggestion.sourceIp ?? '',
    userAgent: suggestion.userAgent ?? '',
    namespace: suggestion.namespaces.join(', '),
    secretNames: suggestion.secretNames ?? '',
    podPrefix: suggestion.podPrefix ?? '',
  };
}

/** "Close as false positive": an allowlist entry prefilled from the alert, previewed before it is saved. */
export function FalsePositiveForm({
  alert,
  suggestion,
  onCancel,
  onSaved,
}: {
  alert: { id: string; ruleId: string; ruleName: string };
  suggestion: SuggestedConditions;
  onCancel: () => void;
  /** The entry is saved: the form closes and its outcome is shown beside the triage controls. */
  onSaved: (outcome: ActionResult) => void;
}) {
  const router = useRouter();
  const [values, setValues] = useState(() => initialValues(suggestion));
  const [checked, setChecked] = useState<Record<ConditionKey, boolean>>(() => ({
    cluster: false,
    username: Boolean(suggestion.username),
    sourceIp: false,
    userAgent: false,
    namespace: false,
    secretNames: false,
    podPrefix: !suggestion.username && Boolean(suggestion.podPrefix),
  }));
  const [scope, setScope] = useState<'rule' | 'all'>('rule');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [preview, setPreview] = useState<{ key: string; impact: AllowlistImpact } | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();

  const conditions = CONDITIONS.filter((condition) => checked[condition.key] && values[condition.key].trim()).map(
    (condition) => condition.toCondition(values[condition.key].trim()),
  );
  const scopeInput = { ruleId: scope === 'rule' ? alert.ruleId : null, conditions, sourceAlertId: alert.id };
  const scopeKey = JSON.stringify(scopeInput);
  const previewIsCurrent = preview?.key === scopeKey;

  function runPreview() {
    setResult(null);
    startTransition(async () => {
      const outcome = await previewAllowlistAction(scopeInput);
      if (outcome.ok) setPreview({ key: scopeKey, impact: outcome.impact });
      else {
        setPreview(null);
        setResult(outcome);
      }
    });
  }

  function save(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const outcome = await closeAsFalsePositiveAction({
        ...scopeInput,
        reason,
        expiresAt: endOfUtcDay(expires),
      });
      if (outcome.ok) {
        onSaved(outcome);
        router.refresh();
      } else setResult(outcome);
    });
  }

  return (
    <form className="fp-form" aria-label="Close as false positive" onSubmit={save}>
      <h2>Close as false positive and allowlist</h2>
      <p className="muted small">
        Events matching every ticked condition will no longer count toward alerts. Matching is exact, by prefix, glob or
        CIDR — never by substring.
      </p>
      <fieldset>
        <legend>Conditions (all must hold)</legend>
        {CONDITIONS.map((condition) => (
          <div className="fp-condition" key={condition.key}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={checked[condition.key]}
                onChange={(event) => setChecked({ ...checked, [condition.key]: event.target.checked })}
              />
              {condition.label}
            </label>
            <input
              aria-label={condition.label}
              value={values[condition.key]}
              onChange={(event) => setValues({ ...values, [condition.key]: event.target.value })}
              placeholder={condition.hint}
            />
          </div>
        ))}
      </fieldset>
      <fieldset className="fp-scope">
        <legend>Applies to</legend>
        <label className="checkbox">
          <input type="radio" name="scope" checked={scope === 'rule'} onChange={() => setScope('rule')} />
          This rule only ({alert.ruleName})
        </label>
        <label className="checkbox">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          All rules
        </label>
      </fieldset>
      <label className="fp-reason">
        Reason
        <textarea
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          required
          rows={2}
          maxLength={2000}
          placeholder="Why this activity is known to be benign"
        />
      </label>
      <label className="fp-expiry">
        Expires (optional)
        <input type="date" value={expires} onChange={(event) => setExpires(event.target.value)} />
      </label>
      <div className="fp-actions">
        <button type="button" onClick={runPreview} disabled={pending || conditions.length === 0}>
          Preview impact
        </button>
        <button type="submit" disabled={pending || !previewIsCurrent || !reason.trim()}>
          Save entry and close
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        {conditions.length === 0 ? <span className="muted small">Tick at least one condition.</span> : null}
        {preview && !previewIsCurrent ? (
          <span className="muted small">The conditions changed: preview again before saving.</span>
        ) : null}
      </div>
      {preview ? (
        <div className="fp-impact" role="status" aria-label="Impact preview">
          <p>
            This entry would have matched <strong>{formatCount(preview.impact.evidenceEvents)}</strong> evidence
            event(s) and <strong>{formatCount(preview.impact.alerts)}</strong> past alert(s) in full;{' '}
            <strong>{formatCount(preview.impact.storedEvents)}</strong> stored audit event(s) match its conditions.
            Saving closes <strong>{formatCount(preview.impact.alertsToClose)}</strong> open alert(s) as false positive.
          </p>
          {preview.impact.sample.length ? (
            <ul className="plain-list small">
              {preview.impact.sample.map((sample) => (
                <li key={sample.id}>
                  <a href={`/alerts/${sample.id}`}>{sample.ruleName}</a> ·{' '}
                  <span className="impact-cluster">cluster {sample.cluster ?? '—'}</span> ·{' '}
                  {sample.username ?? sample.sourceIp ?? '—'} · {sample.status}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {result ? (
        <p role="status" className={result.ok ? 'ok-text' : 'error-text'}>
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
