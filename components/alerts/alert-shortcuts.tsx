'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { AlertStatus, CloseReason } from '@/lib/alerts/schemas';
import { CloseReasonDialog } from './close-reason-dialog';
import { QUEUE_HREF_KEY } from './queue-shortcuts';
import { alertShortcuts } from '@/components/keyboard/shortcut-lists';
import { ShortcutSheet } from '@/components/keyboard/shortcut-sheet';
import { useShortcuts } from '@/components/keyboard/use-shortcuts';
import '@/components/keyboard/keyboard.css';

/** The false-positive form's first field, once it is on screen. */
function focusFalsePositiveForm(framesLeft = 10) {
  requestAnimationFrame(() => {
    const field = document.querySelector<HTMLInputElement>('form[aria-label="Close as false positive"] input');
    if (field) field.focus();
    else if (framesLeft > 0) focusFalsePositiveForm(framesLeft - 1);
  });
}

/** Keyboard triage on an alert page: a acknowledges, c closes with a reason, f opens the false-positive form, u returns. */
export function AlertShortcuts({
  status,
  onAcknowledge,
  onClose,
  onFalsePositive,
}: {
  status: AlertStatus;
  onAcknowledge: () => void;
  onClose: (reason: CloseReason) => void;
  onFalsePositive: () => void;
}) {
  const router = useRouter();
  const [sheetOpen, setSheetOpen] = useState(false);
  const [closing, setClosing] = useState(false);
  const openFalsePositive = () => {
    onFalsePositive();
    focusFalsePositiveForm();
  };
  // The queue's "f" lands here with #false-positive.
  useEffect(() => {
    if (location.hash === '#false-positive' && status !== 'closed') {
      history.replaceState(null, '', `${location.pathname}${location.search}`);
      openFalsePositive();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);
  useShortcuts({
    a: () => {
      if (status === 'open') onAcknowledge();
    },
    c: () => {
      if (status !== 'closed') setClosing(true);
    },
    f: () => {
      if (status !== 'closed') openFalsePositive();
    },
    u: () => router.push(sessionStorage.getItem(QUEUE_HREF_KEY) ?? '/alerts'),
    '[Shift]+?': () => setSheetOpen(true),
  });
  return (
    <>
      <button
        type="button"
        className="link-button kbd-hint"
        aria-keyshortcuts="Shift+?"
        onClick={() => setSheetOpen(true)}
      >
        Keyboard shortcuts <kbd>?</kbd>
      </button>
      <ShortcutSheet
        open={sheetOpen}
        onClose={() => setSheetOpen(false)}
        title="Keyboard shortcuts: alert"
        shortcuts={alertShortcuts}
      />
      <CloseReasonDialog
        open={closing}
        count={1}
        onCancel={() => setClosing(false)}
        onConfirm={(reason) => {
          setClosing(false);
          onClose(reason);
        }}
      />
    </>
  );
}
