'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { endOfUtcDay, formatUtc } from '@/components/format-time';
import type { AllowlistEntryView } from '@/lib/allowlist/list-allowlist';
import type { AllowlistCondition, AllowlistField, AllowlistOperator } from '@/lib/allowlist/schemas';
import { deleteAllowlistEntryAction, updateAllowlistEntryAction, type EntryActionResult } from './actions';

const OPERATORS: { op: AllowlistOperator; label: string }[] = [
  { op: 'exact', label: 'is' },
  { op: 'oneOf', label: 'is one of' },
  { op: 'prefix', label: 'starts with' },
  { op: 'glob', label: 'matches glob' },
  { op: 'cidr', label: 'in CIDR' },
];
const opLabel = (op: AllowlistOperator) => OPERATORS.find((entry) => entry.op === op)?.label ?? op;

function valueText(value: string | string[]) {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function ConditionList({ conditions }: { conditions: AllowlistCondition[] }) {
  return (
    <ul className="plain-list condition-list">
      {conditions.map((condition, index) => (
        <li key={index}>
          {index ? <span className="muted small">and </span> : null}
          <code>{condition.field}</code> {opLabel(condition.op)}{' '}
          <code className="wrap">{valueText(condition.value)}</code>
        </li>
      ))}
    </ul>
  );
}

type Row = { field: AllowlistField; op: AllowlistOperator; value: string };

function toCondition(row: Row): AllowlistCondition {
  const list = row.value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const single = row.op === 'exact' || (row.op === 'prefix' && list.length === 1);
  return { field: row.field, op: row.op, value: single ? row.value.trim() : list };
}

type Choices = { rules: { id: string; name: string }[]; fields: readonly AllowlistField[] };

function EditForm({ entry, rules, fields, onDone }: { entry: AllowlistEntryView; onDone: () => void } & Choices) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(
    entry.conditions.map((condition) => ({ ...condition, value: valueText(condition.value) })),
  );
  const [result, setResult] = useState<EntryActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const update = (index: number, patch: Partial<Row>) =>
    setRows(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expires = String(form.get('expires') ?? '');
    const ruleId = String(form.get('ruleId') ?? '');
    startTransition(async () => {
      const outcome = await updateAllowlistEntryAction(entry.id, {
        reason: String(form.get('reason') ?? ''),
        ruleId: ruleId || null,
        expiresAt: endOfUtcDay(expires),
        conditions: rows.map(toCondition),
      });
      setResult(outcome);
      if (outcome.ok) {
        onDone();
        router.refresh();
      }
    });
  }
  return (
    <form className="entry-edit" aria-label={`Edit allowlist entry ${entry.id}`} onSubmit={submit}>
      <fieldset>
        <legend>Conditions (all must hold)</legend>
        {rows.map((row, index) => (
          <div className="condition-row" key={index}>
            <select
              aria-label="Field"
              value={row.field}
              onChange={(event) => update(index, { field: event.target.value as AllowlistField })}
            >
              {fields.map((field) => (
                <option key={field}>{field}</option>
              ))}
            </select>
            <select
              aria-label="Match"
              value={row.op}
              onChange={(event) => update(index, { op: event.target.value as AllowlistOperator })}
            >
              {OPERATORS.map((operator) => (
                <option key={operator.op} value={operator.op}>
                  {operator.label}
                </option>
              ))}
            </select>
            <input
              aria-label="Value"
              value={row.value}
              onChange={(event) => update(index, { value: event.target.value })}
            />
            <button
              type="button"
              className="secondary"
              disabled={rows.length === 1}
              onClick={() => setRows(rows.filter((_, at) => at !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setRows([...rows, { field: 'username', op: 'exact', value: '' }])}
        >
          Add condition
        </button>
      </fieldset>
      <label>
        Applies to
        <select name="ruleId" defaultValue={entry.ruleId ?? ''}>
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
        <textarea name="reason" defaultValue={entry.reason} rows={2} required maxLength={2000} />
      </label>
      <label>
        Expires
        <input name="expires" type="date" defaultValue={entry.expiresAt?.slice(0, 10) ?? ''} />
      </label>
      <div className="fp-actions">
        <button type="submit" disabled={pending}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
        {result ? (
          <span role="status" className={result.ok ? 'ok-text' : 'error-text'}>
            {result.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}

function EntryRow({ entry, canEdit, ...choices }: { entry: AllowlistEntryView; canEdit: boolean } & Choices) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [result, setResult] = useState<EntryActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (action: () => Promise<EntryActionResult>) =>
    startTransition(async () => {
      const outcome = await action();
      setResult(outcome);
      if (outcome.ok) router.refresh();
    });
  return (
    <>
      <tr data-enabled={entry.enabled} aria-label={`Allowlist entry ${entry.id}`}>
        <td>
          <ConditionList conditions={entry.conditions} />
        </td>
        <td>{entry.ruleName ?? <em>All rules</em>}</td>
        <td className="wrap">{entry.reason}</td>
        <td className="small">
          {entry.authorName}
          <div className="muted">{formatUtc(entry.createdAt)}</div>
          {entry.sourceAlertId ? <Link href={`/alerts/${entry.sourceAlertId}`}>source alert</Link> : null}
        </td>
        <td className="nowrap">
          {entry.hitCount.toLocaleString('en')}
          <div className="muted small">{entry.lastHitAt ? `last ${formatUtc(entry.lastHitAt)}` : 'never hit'}</div>
        </td>
        <td className="nowrap small">
          {entry.expiresAt ? (
            <span className={entry.expired ? 'error-text' : undefined}>
              {entry.expired ? 'expired ' : ''}
              {formatUtc(entry.expiresAt)}
            </span>
          ) : (
            'never'
          )}
        </td>
        <td>
          <span className={`status ${entry.enabled && !entry.expired ? 'status-completed' : 'status-failed'}`}>
            {entry.enabled ? (entry.expired ? 'expired' : 'active') : 'disabled'}
          </span>
        </td>
        {canEdit ? (
          <td className="entry-actions">
            <button type="button" className="secondary" onClick={() => setEditing(!editing)}>
              Edit
            </button>
            <button
              type="button"
              className="secondary"
              disabled={pending}
              onClick={() => run(() => updateAllowlistEntryAction(entry.id, { enabled: !entry.enabled }))}
            >
              {entry.enabled ? 'Disable' : 'Enable'}
            </button>
            {confirmDelete ? (
              <button
                type="button"
                className="danger"
                disabled={pending}
                onClick={() => run(() => deleteAllowlistEntryAction(entry.id))}
              >
                Really delete
              </button>
            ) : (
              <button type="button" className="secondary" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            )}
            {result && !result.ok ? (
              <span role="status" className="error-text">
                {result.message}
              </span>
            ) : null}
          </td>
        ) : null}
      </tr>
      {editing ? (
        <tr>
          <td colSpan={8}>
            <EditForm entry={entry} {...choices} onDone={() => setEditing(false)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function AllowlistTable({
  entries,
  canEdit,
  ...choices
}: { entries: AllowlistEntryView[]; canEdit: boolean } & Choices) {
  return (
    <table className="table allowlist-table">
      <thead>
        <tr>
          <th scope="col">Conditions</th>
          <th scope="col">Scope</th>
          <th scope="col">Reason</th>
          <th scope="col">Author</th>
          <th scope="col">Hits</th>
          <th scope="col">Expires</th>
          <th scope="col">State</th>
          {canEdit ? <th scope="col">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <EntryRow key={entry.id} entry={entry} canEdit={canEdit} {...choices} />
        ))}
      </tbody>
    </table>
  );
}
