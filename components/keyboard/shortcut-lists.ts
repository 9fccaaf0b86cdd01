import type { ShortcutEntry } from './shortcut-sheet';

export const queueShortcuts: ShortcutEntry[] = [
  { keys: ['j'], does: 'Next alert' },
  { keys: ['k'], does: 'Previous alert' },
  { keys: ['o', 'Enter'], does: 'Open the alert' },
  { keys: ['x'], does: 'Select or unselect the alert' },
  { keys: ['a'], does: 'Acknowledge the selected alerts, else this one' },
  { keys: ['c'], does: 'Close the selected alerts, else this one, with a reason' },
  { keys: ['f'], does: 'Close this alert as false positive (opens the allowlist form)' },
  { keys: ['/'], does: 'Search (Esc leaves the search box)' },
  { keys: ['?'], does: 'This list' },
];

export const alertShortcuts: ShortcutEntry[] = [
  { keys: ['a'], does: 'Acknowledge' },
  { keys: ['c'], does: 'Close with a reason' },
  { keys: ['f'], does: 'Close as false positive (opens the allowlist form)' },
  { keys: ['u'], does: 'Back to the queue' },
  { keys: ['?'], does: 'This list' },
];
