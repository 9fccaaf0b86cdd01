'use client';

import { tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

const features = tableFeatures({});
export type Columns<T extends RowData> = ColumnDef<typeof features, T>[];

/** A read-only table: server-side filters, sort and paging live in the URL, so no row models here. */
export function DataTable<T extends RowData>({
  columns,
  rows,
  getRowId,
  label,
  empty,
  className = '',
  isCurrent,
}: {
  columns: Columns<T>;
  rows: T[];
  getRowId: (row: T) => string;
  label: string;
  empty: string;
  className?: string;
  isCurrent?: (row: T) => boolean;
}) {
  const table = useTable({ features, columns, data: rows, getRowId });
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
            <tr key={row.id} aria-current={isCurrent?.(row.original) || undefined}>
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
