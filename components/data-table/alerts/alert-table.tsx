'use client';

import { useMemo } from 'react';
import type { RowSelectionState } from '@tanstack/react-table';
import type { AlertRow } from '@/lib/alerts/list-alerts';
import type { AlertGroupField, AlertListQuery } from '@/lib/alerts/schemas';
import { DataTable } from '../data-table';
import { alertQueueColumns } from './columns';

/** The queue's table, or one group's; rows can be ticked when a selection is handed in. */
export function AlertTable({
  rows,
  query,
  group,
  selection,
  onSelectionChange,
  label,
}: {
  rows: AlertRow[];
  query: AlertListQuery;
  group: AlertGroupField | null;
  selection?: RowSelectionState;
  onSelectionChange?: (selection: RowSelectionState) => void;
  label: string;
}) {
  const selectable = selection !== undefined && onSelectionChange !== undefined;
  const columns = useMemo(() => alertQueueColumns(query, group, selectable), [query, group, selectable]);
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      label={label}
      empty="No alerts match."
      className="alert-table"
      dense
      selection={selectable ? selection : undefined}
      onSelectionChange={selectable ? onSelectionChange : undefined}
    />
  );
}
