'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { formatCount } from '@/components/format-number';
import type { SavedView } from '@/lib/saved-views/list-saved-views';
import { ViewDialog } from './view-dialog';
import { announceViewsChanged, VIEWS_CHANGED_EVENT, type ViewOutcome } from './view-events';
import './saved-views.css';

const REFRESH_MS = 30_000;

async function fetchViews(): Promise<SavedView[] | null> {
  try {
    const response = await fetch('/api/v1/views', { cache: 'no-store' });
    return response.ok ? ((await response.json()) as { views: SavedView[] }).views : null;
  } catch {
    return null;
  }
}

export type ViewActions = {
  update: (id: string, patch: { name: string; shared: boolean }) => Promise<ViewOutcome>;
  remove: (id: string) => Promise<ViewOutcome>;
};

/** The sidebar's saved views, own first then the team's, each with the number of alerts it matches now. */
export function SavedViewsNav({ actions }: { actions: ViewActions }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState<SavedView | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [tick, setTick] = useState(0);
  // Counts follow every navigation, every change announced on the page, and the clock.
  useEffect(() => {
    let live = true;
    fetchViews().then((loaded) => {
      if (!live) return;
      if (loaded) setViews(loaded);
      setFailed(loaded === null);
    });
    return () => {
      live = false;
    };
  }, [pathname, search, tick]);
  useEffect(() => {
    const reload = () => setTick((value) => value + 1);
    const timer = setInterval(reload, REFRESH_MS);
    window.addEventListener(VIEWS_CHANGED_EVENT, reload);
    return () => {
      clearInterval(timer);
      window.removeEventListener(VIEWS_CHANGED_EVENT, reload);
    };
  }, []);
  const here = `${pathname}?${search}`;
  const done = () => {
    setEditing(null);
    setConfirmDelete(false);
    announceViewsChanged();
  };
  return (
    <nav aria-label="Saved views" className="saved-views">
      <p className="nav-heading">Saved views</p>
      {views === null ? (
        <p className="saved-views-note">{failed ? 'The views could not be loaded.' : 'Loading…'}</p>
      ) : views.length === 0 ? (
        <p className="saved-views-note">None yet: filter the queue, then “Save view…”.</p>
      ) : (
        <ul>
          {views.map((view) => (
            <li key={view.id}>
              <Link
                href={view.href}
                aria-current={here === view.href ? 'page' : undefined}
                title={view.shared ? `Shared by ${view.owner.email}` : 'Only you see this view'}
              >
                <span className="saved-view-name">{view.name}</span>
                <span className="saved-view-count">
                  {view.count === null ? '–' : formatCount(view.count)}
                  <span className="visually-hidden"> alerts</span>
                </span>
                {view.shared ? (
                  <span className="saved-view-shared">{view.mine ? 'shared' : `shared by ${view.owner.name}`}</span>
                ) : null}
              </Link>
              {view.canEdit ? (
                <button
                  type="button"
                  className="saved-view-edit"
                  aria-label={`Edit view ${view.name}`}
                  title="Rename, share or delete"
                  onClick={() => {
                    setConfirmDelete(false);
                    setEditing(view);
                  }}
                >
                  ✎
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ViewDialog
        open={editing !== null}
        title={`Edit the view “${editing?.name ?? ''}”`}
        initial={{ name: editing?.name ?? '', shared: editing?.shared ?? false }}
        submitLabel="Save"
        onSubmit={(values) => actions.update(editing!.id, values)}
        onDone={done}
        onCancel={() => setEditing(null)}
        extra={
          confirmDelete ? (
            <button
              type="button"
              className="danger"
              onClick={async () => {
                const outcome = await actions.remove(editing!.id);
                if (outcome.ok) done();
              }}
            >
              Really delete
            </button>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )
        }
      />
    </nav>
  );
}
