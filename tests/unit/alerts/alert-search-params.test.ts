import { describe, expect, it } from 'vitest';
import { buildAlertFilterSql } from '../../../lib/alerts/alert-filter-sql';
import { formatAlertSearchParams, parseAlertSearchParams } from '../../../lib/alerts/schemas';
import { readUtcTime } from '../../../lib/search-params';

describe('the queue URL', () => {
  it('reads every filter, sort and page from the URL and writes the same URL back', () => {
    const url =
      'status=acknowledged&severity=high%2Ccritical&rule=r1&rule=r2&from=2026-11-01T00%3A00%3A00Z&user=alice&sourceIp=10.0.0.1&pod=web-1&namespace=shop&assignee=none&q=db&sort=riskScore&dir=asc&pageSize=25&page=3';
    const parsed = parseAlertSearchParams(new URLSearchParams(url));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      filter: {
        status: 'acknowledged',
        severity: ['high', 'critical'],
        rule: ['r1', 'r2'],
        from: '2026-11-01T00:00:00Z',
        to: undefined,
        user: 'alice',
        sourceIp: '10.0.0.1',
        pod: 'web-1',
        namespace: 'shop',
        assignee: 'none',
        q: 'db',
      },
      sort: 'riskScore',
      dir: 'asc',
      page: 3,
      pageSize: 25,
    });
    expect(formatAlertSearchParams(parsed.data!).toString()).toBe(url);
  });

  it('opens on the open tab, newest first, 50 a page; "all" lifts the status filter', () => {
    const parsed = parseAlertSearchParams({});
    expect(parsed.data).toMatchObject({
      filter: { status: 'open' },
      sort: 'lastEventAt',
      dir: 'desc',
      page: 1,
      pageSize: 50,
    });
    expect(parseAlertSearchParams({ status: 'all' }).data?.filter.status).toBeUndefined();
  });

  it('refuses unknown statuses, sorts, page sizes and assignees', () => {
    for (const params of [{ status: 'deleted' }, { sort: 'password' }, { pageSize: '7' }, { assignee: "1' OR 1=1" }]) {
      expect(parseAlertSearchParams(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it('reads a datetime-local value as UTC, and leaves full timestamps alone', () => {
    expect(readUtcTime('2026-11-23T10:00')).toBe('2026-11-23T10:00:00Z');
    expect(readUtcTime('2026-11-23T10:00:30')).toBe('2026-11-23T10:00:30Z');
    expect(readUtcTime('2026-11-23T10:00:00+02:00')).toBe('2026-11-23T10:00:00+02:00');
  });
});

describe('the filter in SQL', () => {
  it('passes every value as a parameter, never in the SQL text', () => {
    const hostile = "x'; DROP TABLE alerts; --";
    const { where, params } = buildAlertFilterSql({
      user: hostile,
      pod: hostile,
      namespace: hostile,
      sourceIp: hostile,
      q: hostile,
    });
    expect(where).not.toContain('DROP');
    expect(params).toContain(hostile);
  });

  it('escapes LIKE wildcards in free text, so % and _ match themselves', () => {
    const { params } = buildAlertFilterSql({ q: '50%_off' });
    expect(params).toEqual(['%50\\%\\_off%']);
  });

  it('leaves the status out for the tab counts, and withdrawn alerts out unless asked for', () => {
    expect(buildAlertFilterSql({ status: 'open' }, { omitStatus: true })).toEqual({
      where: 'a.withdrawn_at IS NULL',
      params: [],
    });
    expect(buildAlertFilterSql({ status: 'open', withdrawn: 'include' }, { omitStatus: true })).toEqual({
      where: 'TRUE',
      params: [],
    });
  });
});
