'use client';

import { useEffect, useId, useRef } from 'react';
import './keyboard.css';

export type ShortcutEntry = { keys: string[]; does: string };

/** The list of a page's shortcuts in a modal dialog; Esc or the button closes it and focus returns where it was. */
export function ShortcutSheet({
  open,
  onClose,
  title,
  shortcuts,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  shortcuts: ShortcutEntry[];
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="kbd-dialog" aria-labelledby={heading} onClose={onClose}>
      <h2 id={heading}>{title}</h2>
      <table className="kbd-table">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {shortcuts.map((shortcut) => (
            <tr key={shortcut.keys.join(' ')}>
              <td>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index ? ' or ' : ''}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{shortcut.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Shortcuts do nothing while you type in a field, or with Ctrl, Alt or ⌘ held.</p>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close <kbd>Esc</kbd>
        </button>
      </form>
    </dialog>
  );
}
