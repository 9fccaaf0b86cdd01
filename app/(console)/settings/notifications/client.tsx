'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { DestinationView } from '@/lib/notifications/destinations';
import type { RouteView } from '@/lib/notifications/routes';
import '@/components/notifications/notifications.css';

type Props = { destinations: DestinationView[]; routes: RouteView[]; events: string[]; severities: string[] };
type TestAnswer = {
  ok: boolean;
  statusCode: number | null;
  bodyExcerpt: string | null;
  error: string | null;
  latencyMs: number;
};

const API = '/api/v1/notifications';

async function send(method: string, path: string, body?: unknown): Promise<{ ok: boolean; data: unknown }> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : null;
  return { ok: response.ok, data };
}

const list = (text: FormDataEntryValue | null) =>
  String(text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function destinationBody(form: FormData): Record<string, unknown> {
  const type = String(form.get('type'));
  const name = String(form.get('name'));
  switch (type) {
    case 'webhook': {
      const headers = Object.fromEntries(
        String(form.get('headers') ?? '')
          .split('\n')
          .map((line) => line.split(':'))
          .filter((parts) => parts.length >= 2 && parts[0]!.trim())
          .map(([header, ...value]) => [header!.trim(), value.join(':').trim()]),
      );
      return { type, name, url: form.get('url'), secret: form.get('secret'), headers };
    }
    case 'email':
      return {
        type,
        name,
        host: form.get('host'),
        port: Number(form.get('port')),
        tls: form.get('tls'),
        username: form.get('username') || undefined,
        password: form.get('password') || undefined,
        from: form.get('from'),
        to: list(form.get('to')),
      };
    case 'pagerduty':
      return { type, name, routingKey: form.get('routingKey'), ...(form.get('url') ? { url: form.get('url') } : {}) };
    default:
      return { type, name, url: form.get('url') };
  }
}

export function NotificationSettings({ destinations, routes, events, severities }: Props) {
  const router = useRouter();
  const [type, setType] = useState('webhook');
  const [error, setError] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestAnswer | 'sending'>>({});
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [mode, setMode] = useState('immediate');

  async function run(method: string, path: string, body?: unknown) {
    setError(null);
    const result = await send(method, path, body);
    if (!result.ok) setError((result.data as { error?: string } | null)?.error ?? 'the request failed');
    else router.refresh();
    return result;
  }

  async function addDestination(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const result = await run('POST', '/destinations', destinationBody(new FormData(form)));
    if (result.ok) form.reset();
  }

  async function addRoute(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run('POST', '/routes', {
      destinationId: form.get('destinationId'),
      name: form.get('name') || undefined,
      events: form.getAll('events'),
      minSeverity: form.get('minSeverity'),
      ruleIds: list(form.get('ruleIds')),
      clusters: list(form.get('clusters')),
      namespaces: list(form.get('namespaces')),
      mode: form.get('mode'),
      ...(form.get('mode') === 'digest' ? { digestMinutes: Number(form.get('digestMinutes')) } : {}),
    });
  }

  async function testDestination(id: string) {
    setTests((current) => ({ ...current, [id]: 'sending' }));
    const result = await send('POST', `/destinations/${id}/test`);
    const answer = result.ok
      ? (result.data as TestAnswer)
      : {
          ok: false,
          statusCode: null,
          bodyExcerpt: null,
          error: (result.data as { error?: string } | null)?.error ?? 'failed',
          latencyMs: 0,
        };
    setTests((current) => ({ ...current, [id]: answer }));
  }

  async function previewRoute(id: string) {
    const result = await send('GET', `/routes/${id}/preview`);
    const data = result.data as { matched: number; scanned: number; alerts: { ruleName: string; severity: string }[] };
    setPreviews((current) => ({
      ...current,
      [id]: result.ok
        ? `${data.matched} of the last 7 days' ${data.scanned} alert(s) would have been sent${
            data.alerts.length
              ? `: ${data.alerts
                  .slice(0, 5)
                  .map((alert) => `${alert.ruleName} (${alert.severity})`)
                  .join(', ')}${data.matched > 5 ? ', …' : ''}`
              : ''
          }.`
        : 'preview failed',
    }));
  }

  return (
    <>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <section className="panel" aria-label="New destination">
        <h2>New destination</h2>
        <form
          className="notification-form"
          onSubmit={(event) => void addDestination(event)}
          aria-label="New destination"
        >
          <label>
            Type
            <select name="type" value={type} onChange={(event) => setType(event.target.value)}>
              <option value="webhook">Webhook</option>
              <option value="slack">Slack</option>
              <option value="teams">Microsoft Teams</option>
              <option value="email">Email (SMTP)</option>
              <option value="pagerduty">PagerDuty</option>
            </select>
          </label>
          <label>
            Name
            <input name="name" required maxLength={120} />
          </label>
          {type === 'webhook' || type === 'slack' || type === 'teams' ? (
            <label>
              URL
              <input name="url" type="url" required autoComplete="off" />
            </label>
          ) : null}
          {type === 'webhook' ? (
            <>
              <label>
                Signing secret (≥ 16 characters)
                <input name="secret" type="password" required minLength={16} autoComplete="off" />
              </label>
              <label>
                Headers (one per line, Name: value)
                <textarea name="headers" rows={2} />
              </label>
            </>
          ) : null}
          {type === 'email' ? (
            <>
              <label>
                SMTP host
                <input name="host" required />
              </label>
              <label>
                Port
                <input name="port" type="number" defaultValue={587} required />
              </label>
              <label>
                TLS
                <select name="tls" defaultValue="starttls">
                  <option value="starttls">STARTTLS</option>
                  <option value="tls">TLS</option>
                  <option value="none">none</option>
                </select>
              </label>
              <label>
                User name
                <input name="username" autoComplete="off" />
              </label>
              <label>
                Password
                <input name="password" type="password" autoComplete="off" />
              </label>
              <label>
                From
                <input name="from" type="email" required />
              </label>
              <label>
                To (comma-separated)
                <input name="to" required />
              </label>
            </>
          ) : null}
          {type === 'pagerduty' ? (
            <>
              <label>
                Routing key
                <input name="routingKey" type="password" required autoComplete="off" />
              </label>
              <label>
                Events API URL (optional)
                <input name="url" type="url" placeholder="https://events.pagerduty.com/v2/enqueue" />
              </label>
            </>
          ) : null}
          <button type="submit">Add destination</button>
        </form>
      </section>
      <section className="panel" aria-label="Destinations">
        <h2>Destinations</h2>
        {destinations.length === 0 ? <p className="muted">No destinations yet.</p> : null}
        <ul className="notification-list">
          {destinations.map((destination) => {
            const test = tests[destination.id];
            return (
              <li key={destination.id} aria-label={`Destination ${destination.name}`}>
                <strong>{destination.name}</strong> <span className="muted">{destination.type}</span>{' '}
                {destination.enabled ? null : <span className="muted">(disabled)</span>}
                <div className="small muted">
                  {Object.entries(destination.masked).map(([field, masked]) => (
                    <span key={field}>
                      {field}: {masked}{' '}
                    </span>
                  ))}
                  {Object.entries(destination.config)
                    .filter(([, value]) => typeof value !== 'object' || Array.isArray(value))
                    .map(([field, value]) => (
                      <span key={field}>
                        {field}: {Array.isArray(value) ? value.join(', ') : String(value)}{' '}
                      </span>
                    ))}
                </div>
                <button type="button" onClick={() => void testDestination(destination.id)}>
                  Send test
                </button>{' '}
                <button
                  type="button"
                  onClick={() =>
                    void run('PATCH', `/destinations/${destination.id}`, { enabled: !destination.enabled })
                  }
                >
                  {destination.enabled ? 'Disable' : 'Enable'}
                </button>{' '}
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    if (confirm(`Remove ${destination.name}, its routes and its delivery log?`))
                      void run('DELETE', `/destinations/${destination.id}`);
                  }}
                >
                  Remove
                </button>
                {test === 'sending' ? <p className="muted">Sending…</p> : null}
                {test && test !== 'sending' ? (
                  <div role="status" className="test-answer">
                    <p>
                      {test.ok ? 'Delivered' : 'Failed'}:{' '}
                      {test.statusCode !== null ? `HTTP ${test.statusCode}` : 'no answer'} in {test.latencyMs} ms
                      {test.error ? ` — ${test.error}` : ''}
                    </p>
                    {test.bodyExcerpt ? <pre className="excerpt">{test.bodyExcerpt}</pre> : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
      {destinations.length > 0 ? (
        <section className="panel" aria-label="New route">
          <h2>New routing rule</h2>
          <form className="notification-form" onSubmit={(event) => void addRoute(event)} aria-label="New route">
            <label>
              Destination
              <select name="destinationId">
                {destinations.map((destination) => (
                  <option key={destination.id} value={destination.id}>
                    {destination.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Name (optional)
              <input name="name" maxLength={120} />
            </label>
            <fieldset>
              <legend>Events</legend>
              {events.map((event) => (
                <label key={event} className="checkbox">
                  <input type="checkbox" name="events" value={event} defaultChecked={event === 'alert.created'} />{' '}
                  {event}
                </label>
              ))}
            </fieldset>
            <label>
              Severity at least
              <select name="minSeverity" defaultValue="high">
                {severities.map((severity) => (
                  <option key={severity} value={severity}>
                    {severity}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Rules (ids, comma-separated; empty: all)
              <input name="ruleIds" />
            </label>
            <label>
              Clusters (empty: all)
              <input name="clusters" />
            </label>
            <label>
              Namespaces (empty: all)
              <input name="namespaces" />
            </label>
            <label>
              Mode
              <select name="mode" value={mode} onChange={(event) => setMode(event.target.value)}>
                <option value="immediate">immediately</option>
                <option value="digest">digest</option>
              </select>
            </label>
            {mode === 'digest' ? (
              <label>
                Every (minutes)
                <input name="digestMinutes" type="number" min={1} max={1440} defaultValue={60} />
              </label>
            ) : null}
            <button type="submit">Add route</button>
          </form>
        </section>
      ) : null}
      <section className="panel" aria-label="Routes">
        <h2>Routing rules</h2>
        {routes.length === 0 ? <p className="muted">No routing rules: nothing is sent.</p> : null}
        <ul className="notification-list">
          {routes.map((route) => (
            <li key={route.id} aria-label={`Route ${route.name}`}>
              <strong>{route.name}</strong> → {route.destinationName}{' '}
              {route.enabled ? null : <span className="muted">(disabled)</span>}
              <div className="small muted">
                {route.events.join(', ')}; severity ≥ {route.minSeverity}
                {route.ruleIds.length ? `; rules ${route.ruleIds.join(', ')}` : ''}
                {route.clusters.length ? `; clusters ${route.clusters.join(', ')}` : ''}
                {route.namespaces.length ? `; namespaces ${route.namespaces.join(', ')}` : ''};{' '}
                {route.mode === 'digest' ? `digest every ${route.digestMinutes} min` : 'immediately'}
              </div>
              <button type="button" onClick={() => void previewRoute(route.id)}>
                Preview 7 days
              </button>{' '}
              <button
                type="button"
                onClick={() => void run('PATCH', `/routes/${route.id}`, { enabled: !route.enabled })}
              >
                {route.enabled ? 'Disable' : 'Enable'}
              </button>{' '}
              <button type="button" className="danger" onClick={() => void run('DELETE', `/routes/${route.id}`)}>
                Remove
              </button>
              {previews[route.id] ? <p role="status">{previews[route.id]}</p> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
