'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { OPERATORS, splitList, valueText } from '@/components/allowlist/conditions';
import { endOfUtcDay } from '@/lib/format-time';
import { ResultText } from '@/components/ui/result-text';
import type { AllowlistEntryView } from '@/lib/allowlist/list-allowlist';
import type { AllowlistCondition, AllowlistField, AllowlistOperator } from '@/lib/allowlist/schemas';
import { updateAllowlistEntryAction, type EntryActionResult } from './actions';

export type Row = { field: AllowlistField; op: AllowlistOperator; value: string };

export function toCondition(row: Row): AllowlistCondition {
  const list = splitList(row.value);
  const single = row.op === 'exact' || (row.op === 'prefix' && list.length === 1);
  return { field: row.field, op: row.op, value: single ? row.value.trim() : list };
}

/** An entry's conditions as editable rows: field, match and value, added and removed. */
export function ConditionRows({
  rows,
  fields,
  onChange,
}: {
  rows: Row[];
  fields: AllowlistField[];
  onChange: (rows: Row[]) => void;
}) {
  const setRows = onChange;
  const update = (index: number, patch: Partial<Row>) =>
    setRows(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
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
  );
}

export type Choices = { rules: { id: string; name: string }[]; fields: AllowlistField[] };

/** An entry's conditions, scope, reason and expiry, edited in place under its row. */
export function EditForm({
  entry,
  rules,
  fields,
  onDone,
}: { entry: AllowlistEntryView; onDone: () => void } & Choices) {
  const router = useRouter();
  const [rows, setRows] = useState<Row[]>(
    entry.conditions.map((condition) => ({ ...condition, value: valueText(condition.value) })),
  );
  const [result, setResult] = useState<EntryActionResult | null>(null);
  const [pending, startTransition] = useTransition();
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
      <ConditionRows rows={rows} fields={fields} onChange={setRows} />
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
        <ResultText result={result} />
      </div>
    </form>
  );
}
