'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { AlertShortcuts } from '@/components/alerts/alert-shortcuts';
import { closeReasonLabels } from '@/components/alerts/labels';
import { ResultText } from '@/components/ui/result-text';
import type { Assignee } from '@/lib/alerts/list-assignees';
import { closeReasons, type AlertChange, type AlertStatus, type CloseReason } from '@/lib/alerts/schemas';
import type { SuggestedConditions } from '@/lib/allowlist/suggest-conditions';
import { changeAlertAction, type ActionResult } from '../actions';
import { FalsePositiveForm } from './false-positive-form';

type AlertSummary = {
  id: string;
  ruleId: string;
  ruleName: string;
  status: AlertStatus;
  closeReason: CloseReason | null;
  assigneeId: string | null;
};

function useAlertChange(alertId: string) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const apply = (change: AlertChange, after?: () => void) =>
    startTransition(async () => {
      const outcome = await changeAlertAction(alertId, change);
      setResult(outcome);
      if (outcome.ok) {
        after?.();
        router.refresh();
      }
    });
  return { pending, result, apply };
}

/** A closed alert's reason, corrected in place; the history records the change. */
function CloseReasonChange({
  current,
  pending,
  apply,
}: {
  current: CloseReason | null;
  pending: boolean;
  apply: (change: AlertChange) => void;
}) {
  const [reason, setReason] = useState<CloseReason>(current ?? 'true_positive');
  return (
    <>
      <label>
        <span className="visually-hidden">New close reason</span>
        <select value={reason} onChange={(event) => setReason(event.target.value as CloseReason)}>
          {closeReasons.map((value) => (
            <option key={value} value={value}>
              {closeReasonLabels[value]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="secondary"
        disabled={pending || reason === current}
        onClick={() => apply({ status: 'closed', closeReason: reason })}
      >
        Change reason
      </button>
    </>
  );
}

export function TriageControls({
  alert,
  suggestion,
  assignees,
  currentUserId,
}: {
  alert: AlertSummary;
  suggestion: SuggestedConditions;
  assignees: Assignee[];
  currentUserId: string;
}) {
  const { pending, result, apply } = useAlertChange(alert.id);
  const [reason, setReason] = useState<CloseReason>('true_positive');
  const [showFalsePositive, setShowFalsePositive] = useState(false);
  const [saved, setSaved] = useState<ActionResult | null>(null);
  return (
    <div className="triage">
      <div className="triage-row" role="group" aria-label="Status">
        {alert.status === 'open' ? (
          <button type="button" disabled={pending} onClick={() => apply({ status: 'acknowledged' })}>
            Acknowledge
          </button>
        ) : null}
        {alert.status !== 'closed' ? (
          <>
            <label>
              <span className="visually-hidden">Close reason</span>
              <select value={reason} onChange={(event) => setReason(event.target.value as CloseReason)}>
                {closeReasons
                  .filter((value) => value !== 'false_positive')
                  .map((value) => (
                    <option key={value} value={value}>
                      {closeReasonLabels[value]}
                    </option>
                  ))}
              </select>
            </label>
            <button type="button" disabled={pending} onClick={() => apply({ status: 'closed', closeReason: reason })}>
              Close
            </button>
            <button
              type="button"
              className="secondary"
              aria-expanded={showFalsePositive}
              onClick={() => setShowFalsePositive((shown) => !shown)}
            >
              Close as false positive…
            </button>
          </>
        ) : (
          <>
            <button type="button" disabled={pending} onClick={() => apply({ status: 'open' })}>
              Reopen
            </button>
            <CloseReasonChange current={alert.closeReason} pending={pending} apply={apply} />
          </>
        )}
        {alert.status === 'acknowledged' ? (
          <button type="button" className="secondary" disabled={pending} onClick={() => apply({ status: 'open' })}>
            Back to open
          </button>
        ) : null}
        <span className="triage-sep" />
        <label>
          Assignee{' '}
          <select
            aria-label="Assignee"
            value={alert.assigneeId ?? ''}
            disabled={pending}
            onChange={(event) => apply({ assigneeId: event.target.value || null })}
          >
            <option value="">Unassigned</option>
            {assignees.map((assignee) => (
              <option key={assignee.id} value={assignee.id}>
                {assignee.email}
              </option>
            ))}
          </select>
        </label>
        {alert.assigneeId !== currentUserId ? (
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={() => apply({ assigneeId: currentUserId })}
          >
            Assign to me
          </button>
        ) : null}
        <ResultText result={result} />
        <ResultText result={saved} />
        <AlertShortcuts
          status={alert.status}
          onAcknowledge={() => apply({ status: 'acknowledged' })}
          onClose={(closeReason) => apply({ status: 'closed', closeReason })}
          onFalsePositive={() => setShowFalsePositive(true)}
        />
      </div>
      {showFalsePositive ? (
        <FalsePositiveForm
          alert={alert}
          suggestion={suggestion}
          onCancel={() => setShowFalsePositive(false)}
          onSaved={(outcome) => {
            setShowFalsePositive(false);
            setSaved(outcome);
          }}
        />
      ) : null}
    </div>
  );
}

export function NoteForm({ alertId }: { alertId: string }) {
  const { pending, result, apply } = useAlertChange(alertId);
  const [note, setNote] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (note.trim()) apply({ note: note.trim() }, () => setNote(''));
  }
  return (
    <form className="note-form" aria-label="Add a note" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Note</span>
        <textarea
          value={note}
          onChange={(event) => setNote(event.target.value)}
          placeholder="What did you find? Notes are kept in the history and cannot be edited."
          rows={3}
          maxLength={10_000}
        />
      </label>
      <button type="submit" disabled={pending || !note.trim()}>
        Add note
      </button>
      <ResultText result={result} />
    </form>
  );
}
