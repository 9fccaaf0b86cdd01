'use client';

import {
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
} from '@tanstack/react-table';

const features = tableFeatures({ rowSelectionFeature });
export type Columns<T extends RowData> = ColumnDef<typeof features, T>[];

/**
 * A table over one server-side page: filters, sort and paging live in the URL, so there are no row
 * models here. Rows can be ticked when `selection` and `onSelectionChange` are given.
 */
export function DataTable<T extends RowData>({
  columns,
  rows,
  getRowId,
  label,
  empty,
  className = '',
  isCurrent,
  selection,
  onSelectionChange,
}: {
  columns: Columns<T>;
  rows: T[];
  getRowId: (row: T) => string;
  label: string;
  empty: string;
  className?: string;
  isCurrent?: (row: T) => boolean;
  selection?: RowSelectionState;
  onSelectionChange?: (selection: RowSelectionState) => void;
}) {
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId,
    enableRowSelection: onSelectionChange !== undefined,
    state: { rowSelection: selection ?? {} },
    onRowSelectionChange: (updater) =>
      onSelectionChange?.(typeof updater === 'function' ? updater(selection ?? {}) : updater),
  });
  if (rows.length === 0) return <p className="muted empty-row">{empty}</p>;
  return (
    <div className="table-scroll">
      <table className={`table data-table ${className}`} aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((headerGroup) => (
            <tr key={headerGroup.id}>
              {headerGroup.headers.map((header) => (
                <th key={header.id} scope="col" className={`col-${header.column.id}`}>
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              aria-current={isCurrent?.(row.original) || undefined}
              data-selected={row.getIsSelected() || undefined}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
