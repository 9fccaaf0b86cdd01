'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { AssigneeOptions } from '@/components/alerts/assignee-options';
import { closeReasonLabels } from '@/components/alerts/labels';
import { formatCount } from '@/components/format-number';
import { ResultText } from '@/components/ui/result-text';
import type { Assignee } from '@/lib/alerts/list-assignees';
import {
  BULK_CONFIRM_ABOVE,
  closeReasons,
  type AlertChange,
  type AlertFilter,
  type AlertGroupField,
  type AlertListQuery,
  type CloseReason,
} from '@/lib/alerts/schemas';
import './alerts.css';

export type BulkTarget =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'filter'; total: number }
  | { kind: 'groups'; group: AlertGroupField; keys: string[]; total: number };
export type ChangeOutcome = { ok: boolean; message: string };
export type BulkChange = (
  | { ids: string[]; change: Partial<AlertChange> }
  | { filter: AlertFilter; change: AlertChange }
  | { filter: AlertFilter; group: AlertGroupField; keys: string[]; change: AlertChange }
) & {
  confirm?: boolean;
};

function describeTarget(target: BulkTarget, count: number) {
  const alerts = `${formatCount(count)} alert(s)`;
  if (target.kind === 'ids') return `${alerts} selected`;
  if (target.kind === 'filter') return `${alerts} matching the filter`;
  return `${alerts} in ${formatCount(target.keys.length)} group(s)`;
}

/** The form that changes every selected alert, or everything the filter matches, in one action. */
export function BulkBar({
  target,
  query,
  assignees,
  currentUserId,
  apply,
  onDone,
}: {
  target: BulkTarget;
  query: AlertListQuery;
  assignees: Assignee[];
  currentUserId: string;
  apply: (change: BulkChange) => Promise<ChangeOutcome>;
  onDone: (result: ChangeOutcome) => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState('');
  const [result, setResult] = useState<ChangeOutcome | null>(null);
  // A change of more than BULK_CONFIRM_ABOVE alerts waits here until the analyst confirms the count.
  const [unconfirmed, setUnconfirmed] = useState<BulkChange | null>(null);
  const count = target.kind === 'ids' ? target.ids.length : target.total;
  function send(body: BulkChange) {
    startTransition(async () => {
      const outcome = await apply(body);
      if (outcome.ok) {
        onDone(outcome);
        router.refresh();
      } else setResult(outcome);
    });
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const change: Partial<AlertChange> = {};
    const nextStatus = String(form.get('status') ?? '');
    if (nextStatus) change.status = nextStatus as AlertChange['status'];
    if (nextStatus === 'closed') change.closeReason = String(form.get('closeReason')) as CloseReason;
    const assignee = String(form.get('assignee') ?? '');
    if (assignee === 'none') change.assigneeId = null;
    else if (assignee) change.assigneeId = assignee;
    const note = String(form.get('note') ?? '').trim();
    if (note) change.note = note;
    const body: BulkChange =
      target.kind === 'ids'
        ? { ids: target.ids, change }
        : target.kind === 'groups'
          ? { filter: query.filter, group: target.group, keys: target.keys, change: change as AlertChange }
          : { filter: query.filter, change: change as AlertChange };
    setResult(null);
    if (count > BULK_CONFIRM_ABOVE) setUnconfirmed(body);
    else send(body);
  }
  return (
    <form className="bulk-bar" aria-label="Change selected alerts" onSubmit={submit}>
      <strong>{describeTarget(target, count)}</strong>
      <label>
        Status
        <select name="status" value={status} onChange={(event) => setStatus(event.target.value)}>
          <option value="">No change</option>
          <option value="acknowledged">Acknowledge</option>
          <option value="closed">Close</option>
          <option value="open">Reopen</option>
        </select>
      </label>
      {status === 'closed' ? (
        <label>
          Reason
          <select name="closeReason" defaultValue="true_positive">
            {closeReasons.map((reason) => (
              <option key={reason} value={reason}>
                {closeReasonLabels[reason]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Assignee
        <select name="assignee" defaultValue="">
          <option value="">No change</option>
          <option value={currentUserId}>Me</option>
          <option value="none">Unassign</option>
          <AssigneeOptions assignees={assignees} currentUserId={currentUserId} />
        </select>
      </label>
      <label className="bulk-note">
        Note
        <input name="note" placeholder="Added to every alert's history" maxLength={10_000} />
      </label>
      <button type="submit" disabled={pending || unconfirmed !== null}>
        {pending ? 'Applying…' : 'Apply'}
      </button>
      {unconfirmed ? (
        <div className="bulk-confirm" role="alertdialog" aria-label="Confirm the bulk change">
          <span>
            This changes <strong>{formatCount(count)} alerts</strong>.
          </span>
          <button
            type="button"
            disabled={pending}
            onClick={() => {
              send({ ...unconfirmed, confirm: true });
              setUnconfirmed(null);
            }}
          >
            Change {formatCount(count)} alerts
          </button>
          <button type="button" className="link-button" onClick={() => setUnconfirmed(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      <ResultText result={result} />
    </form>
  );
}

/** Over the ticked page: the offer to widen the selection to the whole filter, and the bulk form. */
export function AlertActionBar({
  target,
  onPage,
  total,
  wholePage,
  allMatching,
  onSelectAll,
  onClear,
  ...bar
}: {
  target: BulkTarget;
  query: AlertListQuery;
  assignees: Assignee[];
  currentUserId: string;
  apply: (change: BulkChange) => Promise<ChangeOutcome>;
  onDone: (result: ChangeOutcome) => void;
  /** Alerts on this page and matching the filter. */
  onPage: number;
  total: number;
  wholePage: boolean;
  allMatching: boolean;
  onSelectAll: () => void;
  onClear: () => void;
}) {
  return (
    <>
      {wholePage && !allMatching && total > onPage ? (
        <p className="select-all-note">
          All {onPage} alerts on this page are selected.{' '}
          <button type="button" className="link-button" onClick={onSelectAll}>
            Select all {formatCount(total)} alerts matching the filter
          </button>
        </p>
      ) : null}
      {allMatching ? (
        <p className="select-all-note">
          All {formatCount(total)} alerts matching the filter are selected.{' '}
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        </p>
      ) : null}
      <BulkBar target={target} {...bar} />
    </>
  );
}
