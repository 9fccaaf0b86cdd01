'use client';

import { useState } from 'react';
import { ResultText } from '@/components/ui/result-text';
import { ViewDialog } from './view-dialog';
import { announceViewsChanged, type ViewOutcome } from './view-events';

/** "Save view…" on the queue: names the current filter, sort and grouping (the URL's search params). */
export function SaveViewButton({
  save,
}: {
  save: (input: { name: string; shared: boolean; params: string }) => Promise<ViewOutcome>;
}) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ViewOutcome | null>(null);
  return (
    <>
      <button type="button" className="secondary save-view" onClick={() => setOpen(true)}>
        Save view…
      </button>
      <ResultText result={result} />
      <ViewDialog
        open={open}
        title="Save this view of the queue"
        initial={{ name: '', shared: false }}
        submitLabel="Save view"
        onSubmit={(values) => save({ ...values, params: location.search })}
        onDone={(outcome) => {
          setOpen(false);
          setResult(outcome);
          announceViewsChanged();
        }}
        onCancel={() => setOpen(false)}
      />
    </>
  );
}
