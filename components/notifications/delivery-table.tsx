'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatUtc } from '@/lib/format-time';
import type { DeliveryView } from '@/lib/notifications/deliveries';
import './notifications.css';

/** The delivery log: one row per delivery, its attempts on demand; admins may resend. */
export function DeliveryTable({ deliveries, canResend }: { deliveries: DeliveryView[]; canResend: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (deliveries.length === 0) return <p className="muted">No notifications.</p>;
  async function resend(id: string) {
    const response = await fetch(`/api/v1/notifications/deliveries/${id}/resend`, { method: 'POST' });
    setMessage(response.ok ? 'Queued again as a new delivery.' : `Resend failed: HTTP ${response.status}`);
  }
  return (
    <>
      {message ? (
        <p role="status" className="muted">
          {message}
        </p>
      ) : null}
      <table className="data-table delivery-table" aria-label="Deliveries">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Destination</th>
            <th>Event</th>
            <th>Alert</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th>Latency</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              delivery={delivery}
              expanded={open === delivery.id}
              onToggle={() => setOpen(open === delivery.id ? null : delivery.id)}
              onResend={canResend ? () => void resend(delivery.id) : null}
            />
          ))}
        </tbody>
      </table>
    </>
  );
}

function DeliveryRow({
  delivery,
  expanded,
  onToggle,
  onResend,
}: {
  delivery: DeliveryView;
  expanded: boolean;
  onToggle: () => void;
  onResend: (() => void) | null;
}) {
  const alertIds = delivery.alertId ? [delivery.alertId] : delivery.alertIds;
  return (
    <>
      <tr>
        <td className="nowrap">{formatUtc(delivery.createdAt)}</td>
        <td>
          {delivery.destinationName} <span className="muted small">{delivery.destinationType}</span>
        </td>
        <td>{delivery.event}</td>
        <td>
          {alertIds.slice(0, 3).map((id) => (
            <Link key={id} href={`/alerts/${id}`} className="mono small">
              {id.slice(0, 8)}{' '}
            </Link>
          ))}
          {alertIds.length > 3 ? <span className="muted small">+{alertIds.length - 3}</span> : null}
        </td>
        <td>
          <span className={`delivery-status delivery-${delivery.status}`}>{delivery.status}</span>
        </td>
        <td>{delivery.attempts}</td>
        <td className="small">
          {delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : null}
          {delivery.lastError ? <span className="error-text"> {delivery.lastError}</span> : null}
        </td>
        <td>{delivery.lastLatencyMs !== null ? `${delivery.lastLatencyMs} ms` : '—'}</td>
        <td className="nowrap">
          <button type="button" className="link-button" onClick={onToggle} aria-expanded={expanded}>
            Attempts
          </button>
          {onResend ? (
            <button type="button" className="link-button" onClick={onResend}>
              Resend
            </button>
          ) : null}
        </td>
      </tr>
      {expanded ? (
        <tr>
          <td colSpan={9}>
            <ol className="attempt-log">
              {delivery.attemptLog.map((attempt) => (
                <li key={attempt.attempt}>
                  #{attempt.attempt} {formatUtc(attempt.startedAt)} —{' '}
                  {attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : 'no answer'}
                  {attempt.error ? ` — ${attempt.error}` : ''} — {attempt.latencyMs} ms
                  {attempt.responseExcerpt ? <pre className="excerpt">{attempt.responseExcerpt}</pre> : null}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
    </>
  );
}
