'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { formatCount } from '@/components/format-number';
import { ProgressBar } from '@/components/progress-bar';
import { BatchFigures, BatchProblem, hasFigures, RejectedLines } from '@/components/uploads/batch-figures';
import type { BatchSummary } from '@/lib/ingest/batches';

type Upload = {
  key: string;
  file: File;
  batchId: string;
  sent: number;
  processedBytes: number;
  events: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  summary?: BatchSummary;
  error?: string;
};

const POLL_MS = 700;

function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Sends one file as the raw body (XHR, for upload progress) while polling its batch for events processed. */
function sendFile(
  upload: Upload,
  options: { format: string; cluster: string },
  update: (patch: Partial<Upload>) => void,
) {
  return new Promise<void>((resolve) => {
    const params = new URLSearchParams({ format: options.format, fileName: upload.file.name, batchId: upload.batchId });
    if (options.cluster.trim()) params.set('cluster', options.cluster.trim());
    const poll = setInterval(async () => {
      const response = await fetch(`/api/v1/uploads/${upload.batchId}`).catch(() => null);
      if (response?.ok) {
        const batch = (await response.json()) as BatchSummary;
        update({ processedBytes: batch.bytes, events: batch.received });
      }
    }, POLL_MS);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/uploads?${params}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => update({ sent: event.loaded });
    xhr.onload = () => {
      clearInterval(poll);
      try {
        const body = JSON.parse(xhr.responseText) as BatchSummary & { error?: string };
        const ok = xhr.status === 200;
        update({
          state: ok ? 'done' : 'failed',
          summary: body.batchId ? body : undefined,
          error: ok ? undefined : (body.error ?? `the server answered ${xhr.status}`),
          sent: upload.file.size,
          processedBytes: body.bytes ?? upload.file.size,
          events: body.received ?? 0,
        });
      } catch {
        update({ state: 'failed', error: `the server answered ${xhr.status}` });
      }
      resolve();
    };
    xhr.onerror = () => {
      clearInterval(poll);
      update({ state: 'failed', error: 'the connection to the server was lost' });
      resolve();
    };
    update({ state: 'uploading' });
    xhr.send(upload.file);
  });
}

export function UploadsClient({ formats }: { formats: { value: string; description: string }[] }) {
  const router = useRouter();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [format, setFormat] = useState('auto');
  const [cluster, setCluster] = useState('');
  const [dragging, setDragging] = useState(false);
  const queue = useRef(Promise.resolve());
  const input = useRef<HTMLInputElement>(null);

  function addFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    const added = Array.from(files).map<Upload>((file) => ({
      key: crypto.randomUUID(),
      batchId: crypto.randomUUID(),
      file,
      sent: 0,
      processedBytes: 0,
      events: 0,
      state: 'waiting',
    }));
    setUploads((current) => [...added, ...current]);
    const options = { format, cluster };
    for (const upload of added) {
      const update = (patch: Partial<Upload>) =>
        setUploads((current) => current.map((item) => (item.key === upload.key ? { ...item, ...patch } : item)));
      // One file at a time: the server streams each into the database as it arrives.
      queue.current = queue.current.then(() => sendFile(upload, options, update)).then(() => router.refresh());
    }
  }

  return (
    <>
      <section className="panel" aria-label="Upload audit logs">
        <div className="upload-options">
          <label>
            Format
            <select value={format} onChange={(event) => setFormat(event.target.value)}>
              <option value="auto">Detect automatically</option>
              {formats.map((option) => (
                <option key={option.value} value={option.value} title={option.description}>
                  {option.value}
                </option>
              ))}
            </select>
          </label>
          <label>
            Cluster <span className="muted small">(optional; overrides what the logs say)</span>
            <input value={cluster} onChange={(event) => setCluster(event.target.value)} placeholder="e.g. prod-eu-1" />
          </label>
        </div>
        <div
          className="drop-zone"
          data-dragging={dragging}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            addFiles(event.dataTransfer.files);
          }}
        >
          <p>
            <strong>Drop audit log files here</strong> or{' '}
            <button type="button" className="link-button" onClick={() => input.current?.click()}>
              choose files
            </button>
          </p>
          <p className="muted small">NDJSON, JSON arrays, EventList documents and exports; gzip is detected.</p>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            aria-label="Audit log files"
            onChange={(event) => {
              addFiles(event.target.files);
              event.target.value = '';
            }}
          />
        </div>
      </section>

      {uploads.length > 0 ? (
        <section className="panel" aria-label="This session's uploads">
          <h2>This session&apos;s uploads</h2>
          <ul className="upload-list">
            {uploads.map((upload) => (
              <li key={upload.key} data-state={upload.state}>
                <div className="upload-head">
                  <strong>{upload.file.name}</strong>
                  <span className="muted small">{formatBytes(upload.file.size)}</span>
                  <span className={`status status-${upload.state}`}>{upload.state}</span>
                </div>
                {upload.state === 'uploading' || upload.state === 'waiting' ? (
                  <div className="upload-progress">
                    <ProgressBar label="Sent" value={upload.sent} max={upload.file.size} />
                    <ProgressBar
                      label={`Processed — ${formatCount(upload.events)} events`}
                      value={upload.processedBytes}
                      max={upload.file.size}
                    />
                  </div>
                ) : null}
                {upload.error ? <BatchProblem message={upload.error} /> : null}
                {upload.summary ? (
                  <>
                    {hasFigures(upload.summary) ? <BatchFigures batch={upload.summary} /> : null}
                    <RejectedLines batch={upload.summary} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
