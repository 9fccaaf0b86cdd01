import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileEventsParser } from '../../../lib/ingest/formats/file-events';
import { contextOf, expectSingleFile, expectVerdict, type JsonRecord } from '../../fixtures/ingest/audit-events';

const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A Defend for Containers file event: an interactive shell in the checkout pod opens the SA token. */
function buildFileEvent(overrides: JsonRecord = {}): JsonRecord {
  return {
    '@timestamp': '2026-03-14T09:26:41.207Z',
    event: {
      id: 'Nf3kq2LzT0m1yB7cX9dR',
      kind: 'event',
      category: ['file'],
      type: ['change'],
      action: 'open',
      dataset: 'cloud_defend.file',
    },
    file: { path: TOKEN_PATH, name: 'token' },
    process: {
      name: 'cat',
      executable: '/bin/cat',
      args: ['cat', TOKEN_PATH],
      pid: 4242,
      interactive: true,
      user: { id: '0', name: 'root' },
      entry_leader: { pid: 4100, entry_meta: { type: 'container' } },
    },
    container: { id: '0e7c4f2a9b1d3e5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f', image: { name: 'checkout' } },
    orchestrator: {
      cluster: { name: 'eks-payments', id: 'c-1' },
      namespace: 'payments',
      resource: { name: 'checkout-6f9c7d5b8-x2kq4', type: 'pod' },
    },
    host: { os: { type: 'linux', kernel: '6.1.0' } },
    cloud_defend: { trace_point: 'lsm__file_open' },
    ...overrides,
  };
}

function parse(record: unknown) {
  return fileEventsParser.parse(record, contextOf(record));
}

describe('file-events parser', () => {
  it('normalizes every field of a file event', () => {
    const record = buildFileEvent();
    const context = contextOf(record);
    const event = expectSingleFile(fileEventsParser.parse(record, context));
    expect(event).toEqual({
      cluster: 'eks-payments',
      eventKey: 'Nf3kq2LzT0m1yB7cX9dR',
      time: '2026-03-14T09:26:41.207Z',
      path: TOKEN_PATH,
      action: 'open',
      types: ['change'],
      categories: ['file'],
      interactive: true,
      processName: 'cat',
      processExecutable: '/bin/cat',
      processArgs: ['cat', TOKEN_PATH],
      processPid: 4242,
      processUser: 'root',
      containerId: '0e7c4f2a9b1d3e5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f',
      podName: 'checkout-6f9c7d5b8-x2kq4',
      namespace: 'payments',
      hostOs: 'linux',
      original: record,
      originalText: context.text,
    });
  });

  it('records a denied (blocked) operation with its event types', () => {
    const event = expectSingleFile(
      parse(buildFileEvent({ event: { category: ['file'], type: ['change', 'denied'], action: 'open', id: 'x' } })),
    );
    expect(event.types).toEqual(['change', 'denied']);
  });

  it('accepts event.type and process.args as single strings, and no interactive flag', () => {
    const event = expectSingleFile(
      parse(
        buildFileEvent({
          event: { type: 'creation', action: 'creation' },
          process: { name: 'sh', args: 'sh -c id', pid: 7 },
        }),
      ),
    );
    expect(event).toMatchObject({
      types: ['creation'],
      processArgs: ['sh -c id'],
      interactive: null,
      processUser: null,
    });
  });

  it('reads dotted keys inside objects, as Elastic’s cloud_defend sample writes them', () => {
    const record = {
      '@timestamp': '2026-03-14T09:26:41Z',
      'event.action': 'open',
      file: { path: TOKEN_PATH },
      'process.interactive': false,
      orchestrator: { 'resource.name': 'nginx-7c9', namespace: 'web', 'cluster.name': 'gke-web' },
      container: { id: 'c0ffee', 'image.name': 'nginx' },
    };
    expect(fileEventsParser.matches(record, contextOf(record))).toBe(true);
    expect(expectSingleFile(parse(record))).toMatchObject({
      action: 'open',
      interactive: false,
      podName: 'nginx-7c9',
      namespace: 'web',
      cluster: 'gke-web',
      containerId: 'c0ffee',
      types: [],
      processArgs: [],
    });
  });

  describe('eventKey', () => {
    it('hashes the document when it has no event.id, the same for compact and pretty text', () => {
      const record = buildFileEvent({ event: { category: ['file'], type: ['change'], action: 'open' } });
      const expected = `sha256:${createHash('sha256').update(JSON.stringify(record)).digest('hex')}`;
      const compact = expectSingleFile(
        fileEventsParser.parse(record, { text: JSON.stringify(record), container: null }),
      );
      const pretty = expectSingleFile(
        fileEventsParser.parse(record, { text: JSON.stringify(record, null, 2), container: null }),
      );
      expect(compact.eventKey).toBe(expected);
      expect(pretty.eventKey).toBe(expected);
    });

    it('differs between documents', () => {
      const first = buildFileEvent({ event: { action: 'open' } });
      const second = buildFileEvent({ event: { action: 'open' }, '@timestamp': '2026-03-14T09:26:42.000Z' });
      expect(expectSingleFile(parse(first)).eventKey).not.toBe(expectSingleFile(parse(second)).eventKey);
    });
  });

  it('unwraps a search hit: the original is _source', () => {
    const source = buildFileEvent();
    const hit = { _index: '.ds-logs-cloud_defend.file-default-2026.03.14-000001', _id: 'h1', _source: source };
    const event = expectSingleFile(parse(hit));
    expect(event.original).toBe(source);
    expect(event.originalText).toBeUndefined();
    expect(event.path).toBe(TOKEN_PATH);
  });

  it('skips a process alert that carries the executable in file.path', () => {
    const record = buildFileEvent({
      event: { kind: 'alert', category: ['process'], type: ['denied'], action: 'execMemFd' },
    });
    expect(expectVerdict(parse(record), 'skipped')).toBe('ECS event of category "process", not a file event');
  });

  describe('time', () => {
    it('rejects Go’s zero time', () => {
      expect(expectVerdict(parse(buildFileEvent({ '@timestamp': '0001-01-01T00:00:00Z' })), 'rejected')).toBe(
        '@timestamp: no event time (empty or Go zero time 0001-01-01T00:00:00Z)',
      );
    });

    it('rejects a missing or zoneless @timestamp', () => {
      expect(expectVerdict(parse(buildFileEvent({ '@timestamp': undefined })), 'rejected')).toBe(
        '@timestamp: missing (expected string)',
      );
      expect(expectVerdict(parse(buildFileEvent({ '@timestamp': '2026-03-14T09:26:41' })), 'rejected')).toMatch(
        /^@timestamp: not an ISO-8601 time with a timezone/,
      );
    });
  });

  it.each([
    [{ file: { path: 7 } }, 'file.path: expected string, received number'],
    [{ process: { interactive: 'true' } }, 'process.interactive: expected boolean, received string'],
    [{ process: { pid: 1.5 } }, 'process.pid: expected int, received number'],
    [{ event: { action: 'open', type: [1] } }, 'event.type: expected string or array of strings'],
  ])('rejects wrong types with the ECS path: %j', (overrides, expected) => {
    expect(expectVerdict(parse(buildFileEvent(overrides)), 'rejected')).toBe(expected);
  });

  it('keeps <script> in arguments verbatim and replaces NUL in the path', () => {
    const event = expectSingleFile(
      parse(
        buildFileEvent({
          file: { path: '/tmp/x\u0000y' },
          process: { name: 'sh', args: ['sh', '-c', '<script>alert(1)</script>'] },
        }),
      ),
    );
    expect(event.path).toBe('/tmp/x\uFFFDy');
    expect(event.processArgs).toEqual(['sh', '-c', '<script>alert(1)</script>']);
    expect(event.originalText).not.toContain('\\u0000');
  });

  it('matches only documents with file.path and event.action', () => {
    const matches = (record: unknown) => fileEventsParser.matches(record, contextOf(record));
    expect(matches(buildFileEvent())).toBe(true);
    expect(matches({ file: { path: '/etc/passwd' } })).toBe(false);
    expect(matches({ log: { file: { path: '/var/log/audit.log' } }, event: { action: 'get' } })).toBe(false);
  });
});
