'use client';

import { useEffect, useRef } from 'react';
import { tinykeys } from 'tinykeys';

/** A key (tinykeys syntax) and what it does; a handler returning false leaves the key to the browser. */
export type ShortcutHandlers = Record<string, (event: KeyboardEvent) => boolean | void>;

const INPUTS_WITHOUT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
  'image',
]);

/** True while the person types: a text field, a select or editable content holds the key. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !INPUTS_WITHOUT_TEXT.has(target.type);
}

/** A link, button or form control that Enter already activates. */
export function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('a[href], button, input, select, textarea, summary') !== null;
}

// Shift stays allowed for "?"; tinykeys itself refuses Shift on keys bound without it.
function ignore(event: KeyboardEvent): boolean {
  return (
    event.isComposing ||
    event.ctrlKey ||
    event.metaKey ||
    event.altKey ||
    isTypingTarget(event.target) ||
    document.querySelector('dialog[open]') !== null
  );
}

/** Single-key shortcuts on the page while it is mounted; never while typing, with Ctrl/Alt/Meta, or under a dialog. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  const keys = Object.keys(handlers).join('\n');
  useEffect(() => {
    const bindings = Object.fromEntries(
      keys.split('\n').map((key) => [
        key,
        (event: KeyboardEvent) => {
          if (current.current[key]?.(event) !== false) event.preventDefault();
        },
      ]),
    );
    return tinykeys(window, bindings, { ignore });
  }, [keys]);
}
