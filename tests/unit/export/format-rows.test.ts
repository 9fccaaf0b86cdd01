// CSV and NDJSON cells and rows, as vectors: RFC 4180 quoting, the spreadsheet formula guard,
// arrays, nulls, times, and the file name.
import { describe, expect, it } from 'vitest';
import {
  exportFilename,
  formatCsvCell,
  formatCsvHeader,
  formatCsvRow,
  formatNdjsonRow,
  formatPreamble,
  formatRows,
  guardFormula,
  quoteCsvField,
  type ExportColumn,
} from '../../../lib/export/format-rows';

describe('quoteCsvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line1\nline2', '"line1\nline2"'],
    ['line1\r\nline2', '"line1\r\nline2"'],
    ['cr\ronly', '"cr\ronly"'],
    ['semi;colon and space', 'semi;colon and space'],
  ])('%j → %j', (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });
});

describe('guardFormula', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ['', ''],
    ["'already", "'already"],
  ])('%j → %j', (input, expected) => {
    expect(guardFormula(input)).toBe(expected);
  });
});

describe('formatCsvCell', () => {
  it('guards, then quotes, a hostile formula', () => {
    expect(formatCsvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(formatCsvCell("=cmd|' /C calc'!A0")).toBe(`'=cmd|' /C calc'!A0`);
    // A leading CR both triggers the guard and needs quoting.
    expect(formatCsvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('guards every item of an array cell, since a `;`-separator locale splits them into cells', () => {
    expect(formatCsvCell(['10.0.0.1', '=1+2'])).toBe("10.0.0.1;'=1+2");
    expect(formatCsvCell(['-x', '@SUM(A1)', 'ok', 3])).toBe("'-x;'@SUM(A1);ok;3");
    expect(formatCsvCell(['a', '=HYPERLINK("http://evil")'])).toBe(`"a;'=HYPERLINK(""http://evil"")"`);
  });

  it('writes null and undefined as empty cells', () => {
    expect(formatCsvCell(null)).toBe('');
    expect(formatCsvCell(undefined)).toBe('');
  });

  it('leaves typed values unguarded: a negative number stays a number', () => {
    expect(formatCsvCell(-3)).toBe('-3');
    expect(formatCsvCell(0)).toBe('0');
    expect(formatCsvCell(12.5)).toBe('12.5');
    expect(formatCsvCell(10n ** 20n)).toBe('100000000000000000000');
    expect(formatCsvCell(true)).toBe('true');
    expect(formatCsvCell('-3')).toBe("'-3");
  });

  it('writes times as ISO UTC', () => {
    expect(formatCsvCell(new Date('2043-05-06T07:08:09.010+02:00'))).toBe('2043-05-06T05:08:09.010Z');
    expect(formatCsvCell(new Date('not a date'))).toBe('');
  });

  it('joins arrays with ";", guarding each item and quoting the joined text', () => {
    expect(formatCsvCell(['payments', 'prod'])).toBe('payments;prod');
    expect(formatCsvCell([])).toBe('');
    expect(formatCsvCell(['a,b', 'c'])).toBe('"a,b;c"');
    expect(formatCsvCell(['=evil', 'ok'])).toBe("'=evil;ok");
    expect(formatCsvCell(['ok', '=evil'])).toBe("ok;'=evil");
    expect(formatCsvCell([1, null, new Date('2043-01-01T00:00:00Z')])).toBe('1;;2043-01-01T00:00:00.000Z');
  });

  it('writes other objects as JSON, quoted', () => {
    expect(formatCsvCell({ a: 1, b: 'x' })).toBe('"{""a"":1,""b"":""x""}"');
    expect(formatCsvCell([{ a: 1 }])).toBe('"{""a"":1}"');
  });
});

type Row = { id: number; name: string | null; tags: string[]; at: Date | null };
const columns: ExportColumn<Row>[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'name', value: (row) => row.name },
  { header: 'tags', value: (row) => row.tags },
  { header: 'at', value: (row) => row.at },
];
const row: Row = { id: 7, name: 'kube "admin", ops\nteam', tags: ['a', 'b'], at: new Date('2043-02-03T04:05:06Z') };
const bare: Row = { id: 8, name: null, tags: [], at: null };

describe('CSV rows', () => {
  it('writes the header and each row as CRLF-terminated records', () => {
    expect(formatCsvHeader(columns)).toBe('id,name,tags,at\r\n');
    expect(formatCsvRow(row, columns)).toBe('7,"kube ""admin"", ops\nteam",a;b,2043-02-03T04:05:06.000Z\r\n');
    expect(formatCsvRow(bare, columns)).toBe('8,,,\r\n');
  });

  it('guards and quotes headers too', () => {
    expect(
      formatCsvHeader([
        { header: '=x', value: () => 1 },
        { header: 'a,b', value: () => 2 },
      ]),
    ).toBe(`'=x,"a,b"\r\n`);
  });

  it('formats a batch with the preamble only for CSV', () => {
    expect(formatPreamble('csv', columns) + formatRows('csv', [row, bare], columns)).toBe(
      'id,name,tags,at\r\n7,"kube ""admin"", ops\nteam",a;b,2043-02-03T04:05:06.000Z\r\n8,,,\r\n',
    );
    expect(formatPreamble('ndjson', columns)).toBe('');
    expect(formatRows('csv', [], columns)).toBe('');
  });
});

describe('NDJSON rows', () => {
  it('writes one JSON object per line, keyed by header, values unguarded', () => {
    const line = formatNdjsonRow({ ...row, name: '=HYPERLINK("http://evil")' }, columns);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      id: 7,
      name: '=HYPERLINK("http://evil")',
      tags: ['a', 'b'],
      at: '2043-02-03T04:05:06.000Z',
    });
  });

  it('keeps nulls, turns undefined into null and escapes newlines', () => {
    const line = formatNdjsonRow(bare, [...columns, { header: 'missing', value: () => undefined }]);
    expect(line).toBe('{"id":8,"name":null,"tags":[],"at":null,"missing":null}\n');
    expect(formatNdjsonRow(row, columns)).toBe(
      '{"id":7,"name":"kube \\"admin\\", ops\\nteam","tags":["a","b"],"at":"2043-02-03T04:05:06.000Z"}\n',
    );
  });

  it('writes bigints as text rather than throwing', () => {
    expect(formatNdjsonRow({ n: 2n ** 64n }, [{ header: 'n', value: (r) => r.n }])).toBe(
      '{"n":"18446744073709551616"}\n',
    );
  });

  it('formats a batch as consecutive lines', () => {
    const text = formatRows('ndjson', [row, bare], columns);
    expect(text.split('\n')).toHaveLength(3);
    expect(
      text
        .split('\n')
        .slice(0, 2)
        .map((line) => JSON.parse(line).id),
    ).toEqual([7, 8]);
  });
});

describe('exportFilename', () => {
  it('names the file after what and when, in UTC without separators', () => {
    const now = new Date('2043-01-15T09:30:00.123Z');
    expect(exportFilename('alerts', 'csv', now)).toBe('vigil-alerts-20430115T093000Z.csv');
    expect(exportFilename('Events Explorer', 'ndjson', now)).toBe('vigil-events-explorer-20430115T093000Z.ndjson');
    expect(exportFilename('"../x"', 'csv', now)).toBe('vigil-x-20430115T093000Z.csv');
    expect(exportFilename('', 'csv', now)).toBe('vigil-export-20430115T093000Z.csv');
  });
});
