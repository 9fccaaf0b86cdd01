'use client';

import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from 'react';
import { ResultText } from '@/components/ui/result-text';
import type { ViewOutcome } from './view-events';
import '@/components/keyboard/keyboard.css';
import './saved-views.css';

/** A view's name and sharing in a modal dialog; Esc cancels. `extra` holds more buttons (Delete). */
export function ViewDialog({
  open,
  title,
  initial,
  submitLabel,
  onSubmit,
  onDone,
  onCancel,
  extra,
}: {
  open: boolean;
  title: string;
  initial: { name: string; shared: boolean };
  submitLabel: string;
  onSubmit: (values: { name: string; shared: boolean }) => Promise<ViewOutcome>;
  onDone: (outcome: ViewOutcome) => void;
  onCancel: () => void;
  extra?: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  const [name, setName] = useState(initial.name);
  const [shared, setShared] = useState(initial.shared);
  const [result, setResult] = useState<ViewOutcome | null>(null);
  const [pending, startTransition] = useTransition();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setName(initial.name);
      setShared(initial.shared);
      setResult(null);
      element.showModal();
    }
    if (!open && element.open) element.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the initial values are read when it opens
  }, [open]);
  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const outcome = await onSubmit({ name, shared });
      if (outcome.ok) onDone(outcome);
      else setResult(outcome);
    });
  }
  return (
    <dialog ref={dialog} className="kbd-dialog view-dialog" aria-labelledby={heading} onClose={onCancel}>
      <form onSubmit={submit} aria-labelledby={heading}>
        <h2 id={heading}>{title}</h2>
        <label className="view-dialog-name">
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={80} autoFocus />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
          Share with the team (everyone sees it; only you or an admin can change it)
        </label>
        <div className="kbd-actions">
          <button type="submit" disabled={pending}>
            {submitLabel}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
          {extra}
        </div>
        <ResultText result={result} />
      </form>
    </dialog>
  );
}
