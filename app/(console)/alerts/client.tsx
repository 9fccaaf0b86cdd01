'use client';

import { useState } from 'react';
import type { RowSelectionState } from '@tanstack/react-table';
import { QueueShortcuts } from '@/components/alerts/queue-shortcuts';
import { SaveViewButton } from '@/components/saved-views/save-view-button';
import { announceViewsChanged } from '@/components/saved-views/view-events';
import {
  AlertActionBar,
  BulkBar,
  type BulkChange,
  type BulkTarget,
  type ChangeOutcome,
} from '@/components/data-table/alerts/action-bar';
import { AlertTable } from '@/components/data-table/alerts/alert-table';
import { AlertGroupList, type ExpandedGroup } from '@/components/data-table/alerts/group-list';
import { AlertQueueToolbar } from '@/components/data-table/alerts/toolbar';
import { neighbourLinks, pageCount, Pager } from '@/components/data-table/pager';
import { formatCount } from '@/components/format-number';
import type { Assignee } from '@/lib/alerts/list-assignees';
import type { AlertGroup, AlertPage } from '@/lib/alerts/list-alerts';
import { formatAlertQueueHref, type AlertGroupField, type AlertListQuery } from '@/lib/alerts/schemas';
import { changeAlertGroupsAction, changeAlertsAction } from './actions';
import { saveViewAction } from '../views/actions';

type QueueProps = {
  query: AlertListQuery;
  page: AlertPage | null;
  statusCounts: AlertPage['statusCounts'];
  group: AlertGroupField | null;
  groups: AlertGroup[] | null;
  expanded: ExpandedGroup[];
  rules: { id: string; name: string }[];
  assignees: Assignee[];
  clusters: string[];
  canTriage: boolean;
  currentUserId: string;
};

function QueuePager({ query, total }: { query: AlertListQuery; total: number }) {
  const pages = pageCount(total, query.pageSize);
  const first = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const last = Math.min(total, query.page * query.pageSize);
  const href = (changes: Partial<AlertListQuery>) => formatAlertQueueHref({ ...query, ...changes }, { group: null });
  return (
    <Pager
      summary={
        <>
          {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
        </>
      }
      {...neighbourLinks(query.page, pages, (page) => href({ page }), { previous: '← Previous', next: 'Next →' })}
      position={
        <>
          Page {query.page} of {formatCount(pages)}
        </>
      }
      sizes={{ current: query.pageSize, options: [25, 50, 100], href: (pageSize) => href({ pageSize, page: 1 }) }}
    />
  );
}

/** The grouped queue: tick groups to change all their alerts at once. */
function GroupedQueue(props: QueueProps & { group: AlertGroupField; groups: AlertGroup[] }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [lastResult, setLastResult] = useState<ChangeOutcome | null>(null);
  const keys = props.groups.filter((entry) => entry.key !== null && selected.has(entry.key)).map((entry) => entry.key!);
  const total = props.groups.reduce(
    (sum, entry) => sum + (entry.key !== null && selected.has(entry.key) ? entry.count : 0),
    0,
  );
  const apply = (body: BulkChange) => ('keys' in body ? changeAlertGroupsAction(body) : changeAlertsAction(body));
  return (
    <>
      {props.canTriage && keys.length ? (
        <BulkBar
          target={{ kind: 'groups', group: props.group, keys, total }}
          query={props.query}
          assignees={props.assignees}
          currentUserId={props.currentUserId}
          apply={apply}
          onDone={(result) => {
            setSelected(new Set());
            setLastResult(result);
            announceViewsChanged();
          }}
        />
      ) : null}
      {lastResult && !keys.length ? (
        <p role="status" className="ok-text bulk-result">
          {lastResult.message}
        </p>
      ) : null}
      <AlertGroupList
        query={props.query}
        group={props.group}
        groups={props.groups}
        expanded={props.expanded}
        selected={props.canTriage ? selected : undefined}
        onSelect={(changed, ticked) =>
          setSelected((current) => {
            const next = new Set(current);
            for (const key of changed) {
              if (ticked) next.add(key);
              else next.delete(key);
            }
            return next;
          })
        }
      />
    </>
  );
}

export function AlertQueue(props: QueueProps) {
  const { query, page, group, groups } = props;
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  // Kept here: the bulk bar goes away with the selection it changed, its result must not.
  const [lastResult, setLastResult] = useState<ChangeOutcome | null>(null);
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const pageIds = page?.rows.map((row) => row.id) ?? [];
  const target: BulkTarget | null = allMatching
    ? { kind: 'filter', total: page?.total ?? 0 }
    : selectedIds.length
      ? { kind: 'ids', ids: selectedIds }
      : null;
  function reset() {
    setSelection({});
    setAllMatching(false);
  }
  return (
    <>
      <AlertQueueToolbar {...props} />
      <div className="queue-extras">
        {/* Keyed by the view: its "saved" note goes once the queue shows another one. */}
        <SaveViewButton key={formatAlertQueueHref(query, { group })} save={saveViewAction} />
        <QueueShortcuts
          rowIds={page ? pageIds : props.expanded.flatMap((expanded) => expanded.rows.map((row) => row.id))}
          canTriage={props.canTriage}
          selection={page && props.canTriage ? selection : undefined}
          onSelectionChange={page && props.canTriage ? setSelection : undefined}
          apply={changeAlertsAction}
          onChanged={(result) => {
            reset();
            setLastResult(result);
            announceViewsChanged();
          }}
        />
      </div>
      <section className="panel queue" aria-label="Alert queue">
        {group && groups ? (
          <GroupedQueue {...props} group={group} groups={groups} />
        ) : page ? (
          <>
            {props.canTriage && target ? (
              <AlertActionBar
                target={target}
                query={query}
                assignees={props.assignees}
                currentUserId={props.currentUserId}
                apply={changeAlertsAction}
                onDone={(result) => {
                  reset();
                  setLastResult(result);
                  announceViewsChanged();
                }}
                onPage={pageIds.length}
                total={page.total}
                wholePage={pageIds.length > 0 && pageIds.every((id) => selection[id])}
                allMatching={allMatching}
                onSelectAll={() => setAllMatching(true)}
                onClear={reset}
              />
            ) : null}
            {lastResult && !target ? (
              <p role="status" className="ok-text bulk-result">
                {lastResult.message}
              </p>
            ) : null}
            <AlertTable
              rows={page.rows}
              query={query}
              group={null}
              label="Alerts"
              selection={props.canTriage ? selection : undefined}
              onSelectionChange={
                props.canTriage
                  ? (next) => {
                      setSelection(next);
                      setAllMatching(false);
                    }
                  : undefined
              }
            />
            <QueuePager query={query} total={page.total} />
          </>
        ) : null}
      </section>
    </>
  );
}
