import { describe, expect, it } from 'vitest';
import {
  exceedsJsonDepth,
  MAX_JSON_DEPTH,
  MAX_RECORD_BYTES,
  RecordScanner,
  type RawRecord,
} from '../../../lib/ingest/read-records';

/** Scans the input cut into chunks of `size` bytes: the result must not depend on where chunks end. */
function scan(input: string | Buffer, size = Number.MAX_SAFE_INTEGER): RawRecord[] {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const scanner = new RecordScanner();
  const out: RawRecord[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    out.push(...scanner.push(bytes.subarray(offset, offset + size)));
  out.push(...scanner.end());
  return out;
}

function scanEverySplit(input: string) {
  const whole = scan(input);
  for (const size of [1, 2, 3, 7, 64]) expect(scan(input, size), `chunks of ${size} bytes`).toEqual(whole);
  return whole;
}

/**
 * What the pipeline makes of the output: a broken line may come out as a scanner error or
 * as a record that JSON.parse rejects (the whole-line fast path), depending on chunking.
 */
function verdicts(out: RawRecord[]) {
  return out.map((entry) => {
    if (entry.kind === 'error') return { line: entry.line, value: 'invalid' };
    try {
      return { line: entry.line, value: JSON.parse(entry.text) as unknown };
    } catch {
      return { line: entry.line, value: 'invalid' };
    }
  });
}

const records = (out: RawRecord[]) =>
  out
    .filter((entry) => entry.kind === 'record')
    .map((entry) => (entry.kind === 'record' ? JSON.parse(entry.text) : null));

describe('RecordScanner', () => {
  it('splits NDJSON into one record per line, with line numbers', () => {
    const out = scanEverySplit('{"a":1}\n{"a":2}\r\n\n{"a":3}\n');
    expect(out).toEqual([
      { kind: 'record', text: '{"a":1}', line: 1, container: null },
      { kind: 'record', text: '{"a":2}', line: 2, container: null },
      { kind: 'record', text: '{"a":3}', line: 4, container: null },
    ]);
  });

  it('keeps strings that hold brackets, quotes, backslashes and non-ASCII intact', () => {
    const tricky = { ua: 'x"}]{[\\', name: '<script>alert(1)</script>', emoji: 'sécrèt 🔑', path: 'C:\\\\' };
    const out = scanEverySplit(`${JSON.stringify(tricky)}\n${JSON.stringify({ after: true })}\n`);
    expect(records(out)).toEqual([tricky, { after: true }]);
  });

  it('reads a pretty-printed document as one record', () => {
    const event = { kind: 'Event', nested: { list: [1, { b: 2 }] } };
    expect(records(scanEverySplit(JSON.stringify(event, null, 2)))).toEqual([event]);
  });

  it('reads the elements of a top-level array', () => {
    const out = scanEverySplit(JSON.stringify([{ a: 1 }, { a: 2 }], null, 2));
    expect(records(out)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(out.map((entry) => entry.kind === 'record' && entry.container)).toEqual([null, null]);
  });

  it.each([
    ['items', { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ n: 1 }, { n: 2 }] }],
    ['records', { records: [{ n: 1 }, { n: 2 }] }],
    ['events', { events: [{ n: 1 }, { n: 2 }], searchedLogStreams: [{ logStreamName: 'x' }] }],
    ['logEvents', { messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/c/cluster', logEvents: [{ n: 1 }, { n: 2 }] }],
  ])('unwraps the %s array of an envelope, in a document and on one line', (key, envelope) => {
    for (const text of [JSON.stringify(envelope, null, 2), `${JSON.stringify(envelope)}\n`]) {
      const out = scanEverySplit(text);
      expect(records(out)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(out.every((entry) => entry.kind === 'record' && entry.container === key)).toBe(true);
    }
  });

  it('unwraps an EventList per NDJSON line and keeps line numbers', () => {
    const list = (n: number) => JSON.stringify({ kind: 'EventList', items: [{ n }, { n: n + 1 }] });
    const out = scanEverySplit(`${list(1)}\n${list(3)}\n`);
    expect(out.map((entry) => entry.line)).toEqual([1, 1, 2, 2]);
    expect(records(out)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  });

  it('does not unwrap arrays that are not at the top of the document', () => {
    const event = { kind: 'Event', requestObject: { items: [{ a: 1 }] }, records: 3 };
    expect(records(scanEverySplit(`${JSON.stringify(event)}\n`))).toEqual([event]);
  });

  it('reports a broken NDJSON line and keeps the good lines around it', () => {
    const input = '{"a":1}\n{"a": "unterminated\n{"a":3, "b": {\n{"items": [{"a": 4}, \n{"a":5}\n';
    const expected = [
      { line: 1, value: { a: 1 } },
      { line: 2, value: 'invalid' },
      { line: 3, value: 'invalid' },
      { line: 4, value: { a: 4 } },
      { line: 4, value: 'invalid' },
      { line: 5, value: { a: 5 } },
    ];
    for (const size of [1, 3, 7, 64, 1024])
      expect(verdicts(scan(input, size)), `chunks of ${size} bytes`).toEqual(expected);
    // Split by the scanner itself, the reason says where the line broke.
    expect(scan(input, 1)[1]).toEqual({
      kind: 'error',
      line: 2,
      reason: 'malformed JSON: the line ends inside a value',
    });
  });

  it('reports a line of plain text (klog) and goes on', () => {
    const out = scanEverySplit('{"a":1}\nI1102 10:00:00.000 1 server.go:1] started\n{"a":2}\n');
    expect(out[1]).toEqual({ kind: 'error', line: 2, reason: 'not JSON: expected an object or an array' });
    expect(records(out)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('rejects a record over 1 MiB without buffering it, and keeps its neighbours', () => {
    const huge = JSON.stringify({ blob: 'x'.repeat(MAX_RECORD_BYTES + 10) });
    const out = scan(`{"a":1}\n${huge}\n{"a":2}\n`, 65536);
    expect(out).toEqual([
      { kind: 'record', text: '{"a":1}', line: 1, container: null },
      { kind: 'error', line: 2, reason: `record longer than ${MAX_RECORD_BYTES} bytes` },
      { kind: 'record', text: '{"a":2}', line: 3, container: null },
    ]);
  });

  it('reports a document cut short', () => {
    const out = scanEverySplit('{\n  "kind": "EventList",\n  "items": [\n    {"n": 1},\n    {"n": 2');
    expect(records(out)).toEqual([{ n: 1 }]);
    expect(out.at(-1)).toMatchObject({ kind: 'error', reason: 'malformed JSON: the input ends inside a value' });
  });

  it('reports scalars where records belong', () => {
    const out = scanEverySplit('[{"a":1}, 42, {"a":2}]');
    expect(records(out)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(out.filter((entry) => entry.kind === 'error')).toEqual([
      { kind: 'error', line: 1, reason: 'not a JSON object' },
    ]);
  });
});

describe('exceedsJsonDepth', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('measures nesting of objects and arrays, up to and past the limit', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(exceedsJsonDepth('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '[[[[[[{{{{{ \\" [[[[[' });
    expect(exceedsJsonDepth(text, 1)).toBe(false);
  });
});
