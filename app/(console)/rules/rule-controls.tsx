'use client';

import { useActionState } from 'react';
import { previewRuleAction, saveRuleSettings, type PreviewState, type SettingsState } from './actions';
import { SeverityBadge } from '@/components/alerts/labels';
import { formatCount } from '@/components/format-number';
import { formatUtc, formatUtcInput } from '@/lib/format-time';
import { readUtcTime } from '@/lib/search-params';

type Props = {
  ruleId: string;
  enabled: boolean;
  parameters: Record<string, unknown>;
  defaultRange: { from: string; to: string };
  canTune: boolean;
  canPreview: boolean;
};

const GROUP_FIELD_LABELS: Record<string, string> = {
  cluster: 'cluster',
  user: 'user',
  username: 'user',
  sourceIp: 'source IP',
  userAgent: 'user agent',
  namespace: 'namespace',
  podName: 'pod',
  fileEventId: 'file event',
};
const groupFieldLabel = (name: string) => GROUP_FIELD_LABELS[name] ?? name;

export function RuleControls({ ruleId, enabled, parameters, defaultRange, canTune, canPreview }: Props) {
  const [saved, save, saving] = useActionState<SettingsState, FormData>(saveRuleSettings.bind(null, ruleId), null);
  const [preview, runPreview, previewing] = useActionState<PreviewState, FormData>(
    previewRuleAction.bind(null, ruleId),
    null,
  );
  return (
    <div className="rule-controls">
      {canTune ? null : (
        <p className="muted small">
          {enabled ? 'Enabled' : 'Disabled'} ·{' '}
          {Object.entries(parameters)
            .map(([name, value]) => `${name} ${String(value)}`)
            .join(' · ')}{' '}
          · only admins tune rules
        </p>
      )}
      {canTune ? (
        <form action={save} className="inline-form" aria-label={`Settings of ${ruleId}`}>
          <label className="checkbox">
            <input type="checkbox" name="enabled" defaultChecked={enabled} /> Enabled
          </label>
          {Object.entries(parameters).map(([name, value]) => (
            <label key={name}>
              {name}
              <input type="number" name={name} defaultValue={String(value)} step="any" required />
            </label>
          ))}
          <button type="submit" disabled={saving}>
            Save
          </button>
          {saved ? <span className={saved.ok ? 'ok-text' : 'error-text'}>{saved.message}</span> : null}
        </form>
      ) : null}
      {canPreview ? (
        <form action={runPreview} className="inline-form" aria-label={`Preview of ${ruleId}`}>
          <label>
            From (UTC)
            <input
              name="from"
              className="utc-input"
              defaultValue={preview?.range.from ?? formatUtcInput(readUtcTime(defaultRange.from)!)}
              required
            />
          </label>
          <label>
            To (UTC)
            <input
              name="to"
              className="utc-input"
              defaultValue={preview?.range.to ?? formatUtcInput(readUtcTime(defaultRange.to)!)}
              required
            />
          </label>
          <button type="submit" disabled={previewing}>
            Preview
          </button>
        </form>
      ) : null}
      {preview && !preview.ok ? (
        <p role="alert" className="error-text">
          {preview.message}
        </p>
      ) : null}
      {preview && preview.ok ? (
        <div className="preview-result" role="status">
          <p>
            Would raise <strong>{preview.alerts.length}</strong> alert(s) from {formatCount(preview.scanned)} candidate
            events ({preview.allowlisted} allowlisted). Nothing was written.
          </p>
          <ul>
            {preview.alerts.map((alert) => (
              <li key={`${alert.groupKey}-${alert.firstEventAt}`}>
                <SeverityBadge severity={alert.severity} />{' '}
                <span className="group-fields">
                  {alert.groupFields.map((field) => (
                    <span key={field.name} className="group-field">
                      <span className="muted small">{groupFieldLabel(field.name)}</span>{' '}
                      <code>{field.value ?? 'none'}</code>
                    </span>
                  ))}
                </span>{' '}
                <span className="muted small">
                  from {formatUtc(alert.firstEventAt)}, {alert.events} event(s)
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
