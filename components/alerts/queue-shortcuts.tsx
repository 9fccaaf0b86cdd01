'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import type { RowSelectionState } from '@tanstack/react-table';
import type { AlertChange, CloseReason } from '@/lib/alerts/schemas';
import { CloseReasonDialog } from './close-reason-dialog';
import { queueShortcuts } from '@/components/keyboard/shortcut-lists';
import { ShortcutSheet } from '@/components/keyboard/shortcut-sheet';
import { isActivatable, useShortcuts } from '@/components/keyboard/use-shortcuts';
import '@/components/keyboard/keyboard.css';

/** Where the alert page's "u" returns to, and which row the queue focuses again. */
export const QUEUE_HREF_KEY = 'vigil:queue-href';
const QUEUE_FOCUS_KEY = 'vigil:queue-focus';
const SEARCH_INPUT = 'form[aria-label="Alert filters"] input[name="q"]';

type Outcome = { ok: boolean; message: string };

/** The queue's alert rows in order, each with its alert id (read from the row's link to the alert). */
function readRows(): { row: HTMLTableRowElement; id: string }[] {
  const queue = document.querySelector('section[aria-label="Alert queue"]');
  if (!queue) return [];
  return [...queue.querySelectorAll<HTMLTableRowElement>('tbody tr')].flatMap((row) => {
    const href = row.querySelector<HTMLAnchorElement>('a.alert-link')?.getAttribute('href') ?? '';
    const match = /^\/alerts\/([0-9a-f-]{36})$/.exec(href);
    return match ? [{ row, id: match[1]! }] : [];
  });
}

function focusRow(row: HTMLTableRowElement, id: string) {
  for (const other of document.querySelectorAll('tr[data-kbd-focus]')) other.removeAttribute('data-kbd-focus');
  row.setAttribute('data-kbd-focus', 'true');
  row.tabIndex = -1;
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: 'nearest' });
  sessionStorage.setItem(QUEUE_FOCUS_KEY, id);
}

/**
 * Keyboard triage in the queue: j/k move a visible focus over the rows, o or Enter opens, x ticks, a
 * acknowledges and c closes (the ticked alerts, else the focused one), f opens the false-positive form,
 * / searches, ? lists the keys.
 */
export function QueueShortcuts({
  rowIds,
  canTriage,
  selection,
  onSelectionChange,
  apply,
  onChanged,
}: {
  /** The alerts on screen, in order: a change re-finds the focused row. */
  rowIds: string[];
  canTriage: boolean;
  selection?: RowSelectionState;
  onSelectionChange?: (selection: RowSelectionState) => void;
  apply: (change: { ids: string[]; change: AlertChange }) => Promise<Outcome>;
  onChanged: (outcome: Outcome) => void;
}) {
  const router = useRouter();
  const [sheetOpen, setSheetOpen] = useState(false);
  const [closing, setClosing] = useState<string[] | null>(null);
  const [message, setMessage] = useState<Outcome | null>(null);
  const [, startTransition] = useTransition();
  const focusedIndex = useRef(-1);
  const focusedId = useRef<string | null>(null);
  const rowKey = rowIds.join(',');

  useEffect(() => {
    sessionStorage.setItem(QUEUE_HREF_KEY, `${location.pathname}${location.search}`);
  });

  // After a refresh the focused alert may have left the page (acknowledged off the Open tab): keep its place.
  useEffect(() => {
    const rows = readRows();
    const wanted = focusedId.current ?? sessionStorage.getItem(QUEUE_FOCUS_KEY);
    if (!wanted || rows.length === 0) return;
    const found = rows.findIndex((entry) => entry.id === wanted);
    if (found >= 0) {
      focusedIndex.current = found;
      focusedId.current = wanted;
      focusRow(rows[found]!.row, wanted);
    } else if (focusedId.current) {
      const index = Math.min(Math.max(focusedIndex.current, 0), rows.length - 1);
      focusedIndex.current = index;
      focusedId.current = rows[index]!.id;
      focusRow(rows[index]!.row, rows[index]!.id);
    }
  }, [rowKey]);

  function current(): { row: HTMLTableRowElement; id: string } | null {
    const rows = readRows();
    return rows.find((entry) => entry.id === focusedId.current) ?? null;
  }

  function move(step: 1 | -1) {
    const rows = readRows();
    if (!rows.length) return;
    const at = rows.findIndex((entry) => entry.id === focusedId.current);
    const index = at < 0 ? (step === 1 ? 0 : rows.length - 1) : Math.min(Math.max(at + step, 0), rows.length - 1);
    focusedIndex.current = index;
    focusedId.current = rows[index]!.id;
    focusRow(rows[index]!.row, rows[index]!.id);
  }

  function targets(): string[] {
    const ticked = Object.keys(selection ?? {}).filter((id) => selection?.[id]);
    if (ticked.length) return ticked;
    const focused = current();
    return focused ? [focused.id] : [];
  }

  function change(ids: string[], alertChange: AlertChange) {
    startTransition(async () => {
      const outcome = await apply({ ids, change: alertChange });
      if (outcome.ok) {
        setMessage(null);
        onChanged(outcome);
        router.refresh();
      } else setMessage(outcome);
    });
  }

  function say(text: string) {
    setMessage({ ok: false, message: text });
  }

  // Esc leaves the search box, so the row keys work again without the mouse.
  useEffect(() => {
    const leaveSearch = (event: KeyboardEvent) => {
      const target = event.target;
      if (event.key === 'Escape' && target instanceof HTMLInputElement && target.matches(SEARCH_INPUT)) target.blur();
    };
    window.addEventListener('keydown', leaveSearch);
    return () => window.removeEventListener('keydown', leaveSearch);
  }, []);

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    o: () => {
      const focused = current();
      if (focused) router.push(`/alerts/${focused.id}`);
    },
    Enter: (event) => {
      if (isActivatable(event.target)) return false;
      const focused = current();
      if (!focused) return false;
      router.push(`/alerts/${focused.id}`);
    },
    x: () => {
      const focused = current();
      if (!focused || !selection || !onSelectionChange) return;
      const { [focused.id]: ticked, ...others } = selection;
      onSelectionChange(ticked ? others : { ...others, [focused.id]: true });
    },
    a: () => {
      if (!canTriage) return say('Your role cannot change alerts.');
      const ids = targets();
      if (ids.length) change(ids, { status: 'acknowledged' });
    },
    c: () => {
      if (!canTriage) return say('Your role cannot change alerts.');
      const ids = targets();
      if (ids.length) setClosing(ids);
    },
    f: () => {
      if (!canTriage) return say('Your role cannot change alerts.');
      const focused = current();
      if (focused) router.push(`/alerts/${focused.id}#false-positive`);
    },
    '/': () => {
      const search = document.querySelector<HTMLInputElement>(SEARCH_INPUT);
      search?.focus();
      search?.select();
    },
    '[Shift]+?': () => setSheetOpen(true),
  });

  function restoreFocus() {
    const focused = current();
    if (focused) focusRow(focused.row, focused.id);
  }

  return (
    <>
      <div className="kbd-bar">
        <button
          type="button"
          className="link-button kbd-hint"
          aria-keyshortcuts="Shift+?"
          onClick={() => setSheetOpen(true)}
        >
          Keyboard shortcuts <kbd>?</kbd>
        </button>
        {message ? (
          <span role="status" className={message.ok ? 'ok-text small' : 'error-text small'}>
            {message.message}
          </span>
        ) : null}
      </div>
      <ShortcutSheet
        open={sheetOpen}
        onClose={() => {
          setSheetOpen(false);
          restoreFocus();
        }}
        title="Keyboard shortcuts: alert queue"
        shortcuts={queueShortcuts}
      />
      <CloseReasonDialog
        open={closing !== null}
        count={closing?.length ?? 0}
        onCancel={() => {
          setClosing(null);
          restoreFocus();
        }}
        onConfirm={(reason: CloseReason) => {
          const ids = closing ?? [];
          setClosing(null);
          change(ids, { status: 'closed', closeReason: reason });
        }}
      />
    </>
  );
}
