'use client';

import { useMemo, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import type { RowSelectionState } from '@tanstack/react-table';
import { DataTable } from '@/components/data-table/data-table';
import { incidentQueueColumns } from '@/components/data-table/incidents/columns';
import { neighbourLinks, pageCount, Pager } from '@/components/data-table/pager';
import { ResultText } from '@/components/ui/result-text';
import type { IncidentPage } from '@/lib/incidents/list-incidents';
import { IncidentStatusFields, type IncidentCloseReason } from '@/components/incidents/status-fields';
import { formatIncidentQueueHref, type IncidentListQuery, type IncidentStatus } from '@/lib/incidents/schemas';
import { changeIncidentsAction, type ActionResult } from './actions';

export function IncidentQueue({
  query,
  page,
  canTriage,
}: {
  query: IncidentListQuery;
  page: IncidentPage;
  canTriage: boolean;
}) {
  const router = useRouter();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [status, setStatus] = useState<IncidentStatus>('acknowledged');
  const [closeReason, setCloseReason] = useState<IncidentCloseReason>('true_positive');
  const [closeMembers, setCloseMembers] = useState(true);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const columns = useMemo(() => incidentQueueColumns(query, canTriage), [query, canTriage]);
  const ids = Object.keys(selection).filter((id) => selection[id]);
  const pages = pageCount(page.total, query.pageSize);

  function apply() {
    startTransition(async () => {
      const outcome = await changeIncidentsAction({
        ids,
        status,
        ...(status === 'closed' ? { closeReason, closeMembers } : {}),
      });
      setResult(outcome);
      if (outcome.ok) {
        setSelection({});
        router.refresh();
      }
    });
  }

  return (
    <section className="panel queue" aria-label="Incident queue">
      {canTriage && ids.length ? (
        <div className="incident-bulk" role="group" aria-label="Change the selected incidents">
          <span>{ids.length} selected</span>
          <IncidentStatusFields
            status={status}
            onStatus={setStatus}
            closeReason={closeReason}
            onCloseReason={setCloseReason}
            closeMembers={closeMembers}
            onCloseMembers={setCloseMembers}
            closeMembersLabel="also close their open alerts"
          />
          <button type="button" onClick={apply} disabled={pending}>
            Apply
          </button>
        </div>
      ) : null}
      <ResultText result={result} />
      <DataTable
        columns={columns}
        rows={page.incidents}
        getRowId={(row) => row.id}
        label="Incidents"
        empty="No incidents match."
        className="incident-table"
        dense
        selection={canTriage ? selection : undefined}
        onSelectionChange={canTriage ? setSelection : undefined}
      />
      <Pager
        summary={<>{page.total} incident(s)</>}
        {...neighbourLinks(query.page, pages, (next) => formatIncidentQueueHref({ ...query, page: next }), {
          previous: '← Previous',
          next: 'Next →',
        })}
        position={
          <>
            Page {query.page} of {pages}
          </>
        }
      />
    </section>
  );
}
