'use client';

import { Fragment, type ReactNode, type TdHTMLAttributes } from 'react';
import {
  cellSpanningFeature,
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type CellData,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type TableFeatures,
} from '@tanstack/react-table';
import './data-table.css';

declare module '@tanstack/react-table' {
  /** How a column's header and cells are marked up. */
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions, @typescript-eslint/no-unused-vars -- merging needs TanStack's own interface and parameters
  interface ColumnMeta<TFeatures extends TableFeatures, TData extends RowData, TValue extends CellData = CellData> {
    /** On the header and every cell. */
    className?: string;
    /** On the cells only; per row when a function. */
    cellClassName?: string | ((row: TData) => string | undefined);
    cellAttributes?: TdHTMLAttributes<HTMLTableCellElement>;
  }
}

const features = tableFeatures({ rowSelectionFeature, cellSpanningFeature });
export type Columns<T extends RowData> = ColumnDef<typeof features, T>[];

export type RowAttributes = { 'aria-label'?: string; id?: string } & {
  [data: `data-${string}`]: string | boolean | undefined;
};

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ');

/**
 * A table over one server-side page: filters, sort and paging live in the URL, so there are no row models
 * here. Rows can be ticked when `selection` and `onSelectionChange` are given; `detail` adds a full-width row
 * under a row (an inline editor, say). Without `empty`, a table with no rows keeps its headers.
 */
export function DataTable<T extends RowData>({
  columns,
  rows,
  getRowId,
  label,
  empty,
  className,
  dense = false,
  isCurrent,
  rowAttributes,
  detail,
  selection,
  onSelectionChange,
}: {
  columns: Columns<T>;
  rows: T[];
  getRowId: (row: T) => string;
  label: string;
  empty?: ReactNode;
  className?: string;
  /** Tighter rows in smaller type, for long lists of events and alerts. */
  dense?: boolean;
  isCurrent?: (row: T) => boolean;
  rowAttributes?: (row: T) => RowAttributes;
  detail?: (row: T) => ReactNode;
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
  if (rows.length === 0 && empty !== undefined) return <p className="muted empty-row">{empty}</p>;
  const width = table.getAllLeafColumns().length;
  return (
    <div className="table-scroll">
      <table className={classes('table data-table', dense && 'table-dense', className)} aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((headerGroup) => (
            <tr key={headerGroup.id}>
              {headerGroup.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  className={classes(`col-${header.column.id}`, header.column.columnDef.meta?.className)}
                >
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const more = detail?.(row.original);
            return (
              <Fragment key={row.id}>
                <tr
                  {...rowAttributes?.(row.original)}
                  aria-current={isCurrent?.(row.original) || undefined}
                  data-selected={row.getIsSelected() || undefined}
                >
                  {row.getAllCells().map((cell) => {
                    if (cell.getIsCovered()) return null;
                    const meta = cell.column.columnDef.meta;
                    const span = cell.getColSpan();
                    const own =
                      typeof meta?.cellClassName === 'function'
                        ? meta.cellClassName(row.original)
                        : meta?.cellClassName;
                    return (
                      <td
                        key={cell.id}
                        {...meta?.cellAttributes}
                        colSpan={span > 1 ? span : undefined}
                        className={classes(`col-${cell.column.id}`, meta?.className, own)}
                      >
                        <table.FlexRender cell={cell} />
                      </td>
                    );
                  })}
                </tr>
                {more ? (
                  <tr>
                    <td colSpan={width}>{more}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
