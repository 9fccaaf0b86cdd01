'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { closeReasonLabels } from '@/components/alerts/labels';
import { closeReasons, type CloseReason } from '@/lib/alerts/schemas';
import '@/components/keyboard/keyboard.css';

// False positive goes through its form (an allowlist entry with a preview), as on the alert page.
const DIALOG_REASONS = closeReasons.filter((reason) => reason !== 'false_positive');

/** Asks for the close reason in a modal dialog: arrows pick a reason, Enter closes, Esc cancels. */
export function CloseReasonDialog({
  open,
  count,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  count: number;
  onCancel: () => void;
  onConfirm: (reason: CloseReason) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  const [reason, setReason] = useState<CloseReason>('true_positive');
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setReason('true_positive');
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);
  function submit(event: FormEvent) {
    event.preventDefault();
    onConfirm(reason);
  }
  return (
    <dialog ref={dialog} className="kbd-dialog" aria-labelledby={heading} onClose={onCancel}>
      <form onSubmit={submit}>
        <h2 id={heading}>{count === 1 ? 'Close the alert' : `Close ${count} alerts`}</h2>
        <fieldset>
          <legend>Close reason</legend>
          {DIALOG_REASONS.map((value, index) => (
            <label key={value} className="checkbox">
              <input
                type="radio"
                name="closeReason"
                value={value}
                checked={reason === value}
                onChange={() => setReason(value)}
                autoFocus={index === 0}
              />
              {closeReasonLabels[value]}
            </label>
          ))}
        </fieldset>
        <p className="muted small">
          A false positive? Cancel and press <kbd>f</kbd> to close it with an allowlist entry.
        </p>
        <div className="kbd-actions">
          <button type="submit">Close {count === 1 ? 'alert' : `${count} alerts`}</button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
