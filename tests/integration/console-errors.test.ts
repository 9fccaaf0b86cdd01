// Refusals in the analyst's words, the same everywhere: one 1,024-character cap on every search
// and filter (queue, events explorer, entities, REST), one message for a reversed range and one
// for a time that is not one, from every route that takes them.
import { describe, expect, it } from 'vitest';
import { GET as listAlerts } from '../../app/api/v1/alerts/route';
import { GET as getUser } from '../../app/api/v1/entities/users/[name]/route';
import { GET as listEvents } from '../../app/api/v1/events/route';
import { GET as getOverview } from '../../app/api/v1/overview/route';
import { parseAlertSearchParams } from '../../lib/alerts/schemas';
import { eventFormLabels, parseEventSearchParams } from '../../lib/events/schemas';
import { formatFirstIssue } from '../../lib/format-first-issue';
import { ALERT_FORM_LABELS } from '../../lib/alerts/schemas';
import { MAX_FILTER_LENGTH } from '../../lib/search-params';
import { createTestSession } from '../support/credentials';

const viewer = await createTestSession('viewer');
const BASE = 'http://vigil.test/api/v1';
const TOO_LONG = 'is longer than 1,024 characters: shorten it';
const REVERSED = 'must be before the end of the range (to)';
const NOT_A_TIME = 'is not a date and time (UTC, like 2026-12-01 23:40:49)';

async function refusal(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  return (await response.json()).error;
}

const get = (path: string) => new Request(`${BASE}${path}`, { headers: viewer.headers });
const alerts = (query: string) => listAlerts(get(`/alerts?${query}`));
const events = (query: string) => listEvents(get(`/events?${query}`));
const user = (name: string, query = '') =>
  getUser(get(`/entities/users/${encodeURIComponent(name)}${query}`), { params: Promise.resolve({ name }) });
const overview = (query: string) => getOverview(get(`/overview?${query}`));

describe('the search and filter cap', () => {
  const longest = 'x'.repeat(MAX_FILTER_LENGTH);
  const over = 'x'.repeat(MAX_FILTER_LENGTH + 1);

  it('is 1,024 characters with one message on the queue, the explorer and entities', async () => {
    expect(MAX_FILTER_LENGTH).toBe(1024);
    for (const name of ['q', 'user', 'pod', 'namespace', 'sourceIp'])
      expect(await refusal(await alerts(`${name}=${over}`))).toBe(`filter.${name}: ${TOO_LONG}`);
    for (const name of ['user', 'name', 'requestUri'])
      expect(await refusal(await events(`${name}=${over}`))).toBe(`filter.${name}: ${TOO_LONG}`);
    expect(await refusal(await user(over))).toBe(`name: ${TOO_LONG}`);

    expect((await alerts(`q=${longest}`)).status).toBe(200);
    expect((await events(`user=${longest}`)).status).toBe(200);
    expect((await user(longest)).status).toBe(200);
  });

  it('is refused before any query even at 20,000 characters, and names the field as the form labels it', async () => {
    const huge = 'y'.repeat(20_000);
    expect(await refusal(await alerts(`q=${huge}`))).toBe(`filter.q: ${TOO_LONG}`);
    const page = parseAlertSearchParams({ q: huge });
    expect(page.success).toBe(false);
    expect(formatFirstIssue(page.error!, ALERT_FORM_LABELS)).toBe(`Search ${TOO_LONG}`);
    const explorer = parseEventSearchParams({ user: huge });
    expect(formatFirstIssue(explorer.error!, eventFormLabels('audit'))).toBe(`User ${TOO_LONG}`);
  });
});

describe('time ranges', () => {
  const from = '2044-01-02T00:00:00Z';
  const to = '2044-01-01T00:00:00Z';

  it('a reversed range is one message on every route', async () => {
    expect(await refusal(await alerts(`from=${from}&to=${to}`))).toBe(`filter.from: ${REVERSED}`);
    expect(await refusal(await events(`from=${from}&to=${to}`))).toBe(`from: ${REVERSED}`);
    expect(await refusal(await user('someone', `?from=${from}&to=${to}`))).toBe(`from: ${REVERSED}`);
    expect(await refusal(await overview(`from=${from}&to=${to}`))).toBe(`from: ${REVERSED}`);
    const page = parseAlertSearchParams({ from, to });
    expect(formatFirstIssue(page.error!, ALERT_FORM_LABELS)).toBe(`From (UTC) ${REVERSED}`);
  });

  it('a garbage time is one message on every route', async () => {
    expect(await refusal(await alerts('from=yesterday'))).toBe(`filter.from: ${NOT_A_TIME}`);
    expect(await refusal(await events('to=soon'))).toBe(`to: ${NOT_A_TIME}`);
    expect(await refusal(await user('someone', '?from=2044-13-40T99:00'))).toBe(`from: ${NOT_A_TIME}`);
    expect(await refusal(await overview('from=last%20week'))).toBe(`from: ${NOT_A_TIME}`);
  });
});
