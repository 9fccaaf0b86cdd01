import { describe, expect, it } from 'vitest';
import { buildEventFilterSql, wildcardToLike } from '../../../lib/events/event-filter-sql';
import {
  eventIdSchema,
  formatEventSearchParams,
  formatEventsHref,
  parseEventSearchParams,
  type EventQuery,
  type EventQueryInput,
} from '../../../lib/events/schemas';

/** A parsed query as the URL writer takes it: the cursor back as text, unset filters dropped. */
function toInput(query: EventQuery): EventQueryInput {
  return {
    ...query,
    filter: Object.fromEntries(Object.entries(query.filter).filter(([, value]) => value !== undefined)),
    cursor: query.cursor ? `${query.cursor.time}_${query.cursor.id}` : undefined,
  };
}

const firstIssue = (params: string) => {
  const parsed = parseEventSearchParams(new URLSearchParams(params));
  expect(parsed.success, params).toBe(false);
  const issue = parsed.error!.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
};

describe('the explorer URL', () => {
  it('reads every audit filter, the range, order, page size and cursor, and writes the same URL back', () => {
    const url = [
      'user=system%3Aserviceaccount%3Ashop%3Aweb',
      'sourceIp=10.0.0.1',
      'userAgent=curl*',
      'verb=get',
      'resource=secrets',
      'subresource=token',
      'namespace=shop',
      'name=db_*',
      'pod=web-1',
      'node=node-a',
      'cluster=prod',
      'group=system%3Amasters',
      'responseCode=403',
      'decision=forbid',
      'outcome=forbidden',
      'requestUri=%2Fapi%2Fv1%2Fsecrets%3Fwatch%3D1',
      'auditId=a-1',
      'stage=ResponseComplete',
      'from=2046-01-01T00%3A00%3A00Z',
      'to=2046-01-02T00%3A00%3A00Z',
      'order=asc',
      'pageSize=100',
      'cursor=2046-01-01T10%3A00%3A00.123456Z_42',
    ].join('&');
    const parsed = parseEventSearchParams(new URLSearchParams(url));
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toEqual({
      kind: 'audit',
      filter: {
        user: 'system:serviceaccount:shop:web',
        sourceIp: '10.0.0.1',
        userAgent: 'curl*',
        verb: 'get',
        resource: 'secrets',
        subresource: 'token',
        namespace: 'shop',
        name: 'db_*',
        pod: 'web-1',
        node: 'node-a',
        cluster: 'prod',
        group: 'system:masters',
        responseCode: '403',
        decision: 'forbid',
        outcome: 'forbidden',
        requestUri: '/api/v1/secrets?watch=1',
        auditId: 'a-1',
        stage: 'ResponseComplete',
        path: undefined,
        action: undefined,
        process: undefined,
        processUser: undefined,
        container: undefined,
      },
      from: '2046-01-01T00:00:00Z',
      to: '2046-01-02T00:00:00Z',
      order: 'asc',
      pageSize: 100,
      cursor: { time: '2046-01-01T10:00:00.123456Z', id: '42' },
    });
    expect(formatEventSearchParams(toInput(parsed.data!)).toString()).toBe(url);
  });

  it('reads every file filter', () => {
    const url =
      'kind=file&namespace=shop&pod=web-1&path=%2Fvar%2Frun%2Fsecrets%2F*&action=open&process=cat&processUser=root&container=c1&cluster=prod';
    const parsed = parseEventSearchParams(new URLSearchParams(url));
    expect(parsed.data).toMatchObject({
      kind: 'file',
      filter: {
        pod: 'web-1',
        namespace: 'shop',
        path: '/var/run/secrets/*',
        action: 'open',
        process: 'cat',
        processUser: 'root',
        container: 'c1',
        cluster: 'prod',
      },
    });
    const written = formatEventSearchParams(toInput(parsed.data!));
    expect(parseEventSearchParams(written).data).toEqual(parsed.data);
    expect(formatEventsHref(toInput(parsed.data!))).toBe(`/events?${written}`);
  });

  it('opens on audit events, newest first, 50 a page; defaults stay out of the URL', () => {
    const parsed = parseEventSearchParams({});
    expect(parsed.data).toMatchObject({ kind: 'audit', order: 'desc', pageSize: 50, cursor: undefined });
    expect(Object.values(parsed.data!.filter).every((value) => value === undefined)).toBe(true);
    expect(formatEventSearchParams(toInput(parsed.data!)).toString()).toBe('');
    expect(formatEventsHref({ kind: 'audit', order: 'desc', pageSize: 50, filter: {} })).toBe('/events');
  });

  it('trims values and drops empty ones; a record from a page reads like a URLSearchParams', () => {
    const parsed = parseEventSearchParams({ user: '  alice  ', verb: '', namespace: ['shop', 'other'] });
    expect(parsed.data!.filter).toMatchObject({ user: 'alice', verb: undefined, namespace: 'shop' });
  });

  it('reads a datetime-local value as UTC', () => {
    const parsed = parseEventSearchParams({ from: '2046-01-01T10:00', to: '2046-01-01T10:30:15.5' });
    expect(parsed.data).toMatchObject({ from: '2046-01-01T10:00:00Z', to: '2046-01-01T10:30:15.5Z' });
    expect(new Date(parsed.data!.from!).toISOString()).toBe('2046-01-01T10:00:00.000Z');
  });

  it('keeps a time with an offset as given', () => {
    expect(parseEventSearchParams({ from: '2046-01-01T10:00:00+02:00' }).data!.from).toBe('2046-01-01T10:00:00+02:00');
  });
});

describe('the explorer URL, refused', () => {
  it('names the field in each error', () => {
    expect(firstIssue('kind=file&user=alice')).toEqual({ path: 'filter.user', message: 'not a field of file events' });
    expect(firstIssue('path=/etc')).toEqual({ path: 'filter.path', message: 'not a field of audit events' });
    expect(firstIssue('outcome=maybe')).toEqual({
      path: 'filter.outcome',
      message: 'outcome must be allowed, forbidden or other',
    });
    expect(firstIssue('responseCode=4040')).toEqual({
      path: 'filter.responseCode',
      message: 'responseCode must be a three-digit HTTP status',
    });
    expect(firstIssue('from=2046-01-02T00:00:00Z&to=2046-01-01T00:00:00Z')).toEqual({
      path: 'from',
      message: 'must be before the end of the range (to)',
    });
    expect(firstIssue('from=2046-01-01T00:00:00Z&to=2046-01-01T00:00:00Z').path).toBe('from');
    expect(firstIssue('pageSize=30')).toEqual({ path: 'pageSize', message: 'pageSize must be 25, 50, 100 or 200' });
    expect(firstIssue('order=newest').path).toBe('order');
    expect(firstIssue('kind=logs').path).toBe('kind');
    expect(firstIssue('to=next+week').path).toBe('to');
  });

  it('refuses a cursor that is not one the last page returned', () => {
    const message = 'cursor must be <ISO time>_<id> as returned by the last page';
    for (const cursor of [
      'abc',
      '2046-01-01T10:00:00Z',
      '2046-01-01T10:00:00Z_',
      '2046-01-01T10:00:00+01:00_1',
      '2046-01-01T10:00:00Z_-1',
      '2046-01-01T10:00:00Z_12345678901234567890',
      '2046-13-01T10:00:00Z_1',
      '2046-02-30T10:00:00Z_1',
      '2046-01-01T25:00:00Z_1',
      '2046-01-01T10:00:00Z_9223372036854775808',
    ])
      expect(firstIssue(`cursor=${encodeURIComponent(cursor)}`), cursor).toEqual({ path: 'cursor', message });
    expect(parseEventSearchParams({ cursor: '2046-01-01T10:00:00Z_9223372036854775807' }).data!.cursor).toEqual({
      time: '2046-01-01T10:00:00Z',
      id: '9223372036854775807',
    });
  });

  it('an event id is a positive number that fits a bigint', () => {
    expect(eventIdSchema.safeParse('42').success).toBe(true);
    expect(eventIdSchema.safeParse('9223372036854775807').success).toBe(true);
    for (const id of ['', 'abc', '-1', '1.0', '12345678901234567890'])
      expect(
        eventIdSchema.safeParse(id).error!.issues.map((issue) => issue.message),
        id,
      ).toEqual(['an event id is a number']);
    expect(eventIdSchema.safeParse('9223372036854775808').error!.issues[0]!.message).toBe(
      'an event id is at most 9223372036854775807',
    );
  });
});

describe('wildcardToLike', () => {
  it('turns `*` into `%` and escapes what LIKE would read as wildcards', () => {
    expect(wildcardToLike('secret-*')).toBe('secret-%');
    expect(wildcardToLike('*token*')).toBe('%token%');
    expect(wildcardToLike('db_*')).toBe('db\\_%');
    expect(wildcardToLike('50%*')).toBe('50\\%%');
    expect(wildcardToLike('C:\\temp\\*')).toBe('C:\\\\temp\\\\%');
    expect(wildcardToLike('/api?watch=1*')).toBe('/api?watch=1%');
    expect(wildcardToLike('plain')).toBe('plain');
  });
});

describe('buildEventFilterSql', () => {
  const parse = (params: string) => parseEventSearchParams(new URLSearchParams(params)).data!;

  it('compares exactly without a `*`, with LIKE (escaped) with one', () => {
    const sql = buildEventFilterSql(parse('user=a_b&name=db_*&responseCode=403&group=g&outcome=forbidden'));
    expect(sql.where).toContain('e.username = $1');
    expect(sql.where).toContain('e.name LIKE $2');
    expect(sql.where).toContain('$3 = ANY(e.groups)');
    expect(sql.where).toContain('e.response_code = $4::int');
    expect(sql.where).toMatch(/vigil_request_outcome\(e\.decision, e\.response_code\) = \$5$/);
    expect(sql.params).toEqual(['a_b', 'db\\_%', 'g', 403, 'forbidden']);
  });

  it('continues after the cursor in the chosen order', () => {
    const desc = buildEventFilterSql(parse('cursor=2046-01-01T10:00:00.123456Z_42'));
    expect(desc.where).toBe('(e.time, e.id) < ($1::timestamptz, $2::bigint)');
    expect(desc.params).toEqual(['2046-01-01T10:00:00.123456Z', '42']);
    expect(desc.order).toBe('e.time DESC, e.id DESC');
    const asc = buildEventFilterSql(
      parse('kind=file&order=asc&cursor=2046-01-01T10:00:00Z_7&from=2046-01-01T00:00:00Z'),
    );
    expect(asc.table).toBe('file_events f');
    expect(asc.where).toBe('f.time >= $1::timestamptz AND (f.time, f.id) > ($2::timestamptz, $3::bigint)');
    expect(asc.order).toBe('f.time ASC, f.id ASC');
  });
});
