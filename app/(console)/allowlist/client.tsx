'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useState, useTransition } from 'react';
import { allowlistColumns } from '@/components/data-table/allowlist/columns';
import { DataTable } from '@/components/data-table/data-table';
import type { AllowlistEntryView } from '@/lib/allowlist/list-allowlist';
import { deleteAllowlistEntryAction, updateAllowlistEntryAction, type EntryActionResult } from './actions';
import { EditForm, type Choices } from './edit-form';

/** Edit, enable or disable, and delete (asked twice) one entry. */
function EntryActions({ entry, onEdit }: { entry: AllowlistEntryView; onEdit: () => void }) {
  const router = useRouter();
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
      <button type="button" className="secondary" onClick={onEdit}>
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
    </>
  );
}

export function AllowlistTable({
  entries,
  canEdit,
  ...choices
}: { entries: AllowlistEntryView[]; canEdit: boolean } & Choices) {
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set());
  const edit = useCallback(
    (id: string, open: boolean) =>
      setEditing((current) => {
        const next = new Set(current);
        if (open) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const columns = useMemo(
    () =>
      allowlistColumns(
        canEdit
          ? (entry) => <EntryActions entry={entry} onEdit={() => edit(entry.id, !editing.has(entry.id))} />
          : undefined,
      ),
    [canEdit, edit, editing],
  );
  return (
    <DataTable
      columns={columns}
      rows={entries}
      getRowId={(entry) => entry.id}
      label="Allowlist entries"
      className="allowlist-table"
      rowAttributes={(entry) => ({
        id: `entry-${entry.id}`,
        'data-enabled': entry.enabled,
        'aria-label': `Allowlist entry ${entry.id}`,
      })}
      detail={(entry) =>
        editing.has(entry.id) ? <EditForm entry={entry} {...choices} onDone={() => edit(entry.id, false)} /> : null
      }
    />
  );
}
