'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { ResultText } from '@/components/ui/result-text';
import type { Assignee } from '@/lib/alerts/list-assignees';
import { IncidentStatusFields, type IncidentCloseReason } from '@/components/incidents/status-fields';
import type { IncidentStatus } from '@/lib/incidents/schemas';
import { changeIncidentAction, type ActionResult } from '../actions';

/** Status (closing asks whether to close the open members too), assignee, a note, a merge. */
export function IncidentControls({
  incidentId,
  status: current,
  assigneeId,
  assignees,
}: {
  incidentId: string;
  status: IncidentStatus;
  assigneeId: string | null;
  assignees: Assignee[];
}) {
  const router = useRouter();
  const [status, setStatus] = useState<IncidentStatus>(current);
  const [closeReason, setCloseReason] = useState<IncidentCloseReason>('true_positive');
  const [closeMembers, setCloseMembers] = useState(true);
  const [assignee, setAssignee] = useState(assigneeId ?? '');
  const [note, setNote] = useState('');
  const [mergeFrom, setMergeFrom] = useState('');
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();

  function send(change: Record<string, unknown>, after?: () => void) {
    startTransition(async () => {
      const outcome = await changeIncidentAction(incidentId, change);
      setResult(outcome);
      if (outcome.ok) {
        after?.();
        router.refresh();
      }
    });
  }

  return (
    <section className="panel" aria-label="Triage">
      <div className="incident-triage">
        <IncidentStatusFields
          status={status}
          onStatus={setStatus}
          closeReason={closeReason}
          onCloseReason={setCloseReason}
          closeMembers={closeMembers}
          onCloseMembers={setCloseMembers}
          closeMembersLabel="also close its open alerts with this reason"
        />
        <button
          type="button"
          disabled={pending}
          onClick={() => send(status === 'closed' ? { status, closeReason, closeMembers } : { status })}
        >
          Set status
        </button>
        <label>
          Assignee{' '}
          <select value={assignee} onChange={(event) => setAssignee(event.target.value)}>
            <option value="">unassigned</option>
            {assignees.map((person) => (
              <option key={person.id} value={person.id}>
                {person.email}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={pending} onClick={() => send({ assigneeId: assignee || null })}>
          Assign
        </button>
      </div>
      <div className="incident-triage">
        <label>
          Note <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} cols={50} />
        </label>
        <button type="button" disabled={pending || !note.trim()} onClick={() => send({ note }, () => setNote(''))}>
          Add note
        </button>
        <label>
          Merge incident (id){' '}
          <input value={mergeFrom} onChange={(event) => setMergeFrom(event.target.value.trim())} size={38} />
        </label>
        <button
          type="button"
          disabled={pending || !mergeFrom}
          onClick={() => send({ mergeFrom }, () => setMergeFrom(''))}
        >
          Merge into this one
        </button>
      </div>
      <ResultText result={result} />
    </section>
  );
}

/** Takes one alert out of the incident; grouping leaves it out from then on. */
export function RemoveAlertButton({ incidentId, alertId }: { incidentId: string; alertId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const outcome = await changeIncidentAction(incidentId, { removeAlertId: alertId });
            setResult(outcome);
            if (outcome.ok) router.refresh();
          })
        }
      >
        Remove
      </button>
      {result && !result.ok ? <ResultText result={result} /> : null}
    </>
  );
}

/** Copies a containment command as text; Vigil never runs it. */
export function CopyText({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="link-button"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
