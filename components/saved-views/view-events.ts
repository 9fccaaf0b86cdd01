// The sidebar's list reloads when a view is saved, changed or deleted, or alerts were triaged.
export const VIEWS_CHANGED_EVENT = 'vigil:views-changed';

export type ViewOutcome = { ok: boolean; message: string };

export function announceViewsChanged(): void {
  window.dispatchEvent(new Event(VIEWS_CHANGED_EVENT));
}
