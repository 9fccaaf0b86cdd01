// Splits a byte stream of JSON into records without holding the input in memory:
// NDJSON lines, elements of a top-level array, and elements of a top-level object's
// items / records / events / logEvents array (EventList, Azure and CloudWatch exports).
// It tracks only brackets and strings; each record is validated by JSON.parse later.

export const CONTAINER_KEYS = new Set(['items', 'records', 'events', 'logEvents']);
export const MAX_RECORD_BYTES = 1024 * 1024;
/** Deeper nesting than any Kubernetes object needs; deeper input is a parser-exhaustion attempt. */
export const MAX_JSON_DEPTH = 100;

/** Whether a JSON text nests objects/arrays deeper than `max` (brackets inside strings do not count). */
export function exceedsJsonDepth(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > max) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}

export type RawRecord =
  | { kind: 'record'; text: string; line: number; container: string | null }
  | { kind: 'error'; line: number; reason: string };

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;
const MAX_KEY_BYTES = 32;

const isWhitespace = (byte: number) => byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;

/** Where the scanner stands between two values. */
type Level =
  /** between top-level values */
  | 'top'
  /** inside a top-level array: its elements are records */
  | 'array'
  /** inside a top-level object's container array: its elements are records */
  | 'container'
  /** the rest of an envelope object after its container array */
  | 'envelope-tail';

/**
 * NDJSON may not break a value across lines; pretty-printed JSON may. The first line
 * tells which: a lone "{" or "[", or a line ending in an opener or separator, is a document.
 */
function indexOrEnd(chunk: Buffer, byte: number, from: number) {
  const found = chunk.indexOf(byte, from);
  return found < 0 ? chunk.length : found;
}

export function isDocumentStart(firstLine: string): boolean {
  const trimmed = firstLine.trim();
  return trimmed.startsWith('[') || /[{[,:]$/.test(trimmed);
}

export class RecordScanner {
  private output: RawRecord[] = [];
  private line = 1;
  private lines: boolean | undefined; // undefined until the first line is seen
  private firstLine = '';
  private level: Level = 'top';
  /** Nesting depth inside the current record (or envelope object), 0 between values. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private skipToEol = false;
  private skippingScalar = false;
  // Positions of the next backslash and newline in the current chunk, found once per run.
  private nextBackslash = -1;
  private nextNewline = -1;
  // The record in progress.
  private parts: Buffer[] | null = null;
  private segmentStart = -1;
  private recordBytes = 0;
  private recordLine = 0;
  private overlong = false;
  // A top-level object is buffered as a record until it turns out to be an envelope.
  private topObject = false;
  private keyParts: Buffer[] | null = null;
  private keyStart = -1;
  private lastString: string | null = null;
  private currentKey: string | null = null;
  private container: string | null = null;

  /** Scans one chunk; returns the records and errors completed in it, in input order. */
  push(chunk: Buffer): RawRecord[] {
    if (this.lines === undefined) this.decideMode(chunk);
    this.nextBackslash = -1;
    this.nextNewline = -1;
    if (this.parts !== null) this.segmentStart = 0;
    if (this.keyParts !== null) this.keyStart = 0;
    for (let i = 0; i < chunk.length; i++) i = this.step(chunk, i);
    this.carryOver(chunk);
    return this.output.splice(0);
  }

  /** Ends the input; reports a value left open. */
  end(): RawRecord[] {
    if (this.lines === undefined) this.lines = !isDocumentStart(this.firstLine);
    if (this.depth > 0 || this.inString || this.level === 'array' || this.level === 'container') {
      this.fail('malformed JSON: the input ends inside a value', this.recordLine || this.line);
    }
    return this.output.splice(0);
  }

  private decideMode(chunk: Buffer) {
    this.firstLine += chunk.subarray(0, 8192).toString('utf8');
    const start = this.firstLine.search(/\S/);
    const newline = start < 0 ? -1 : this.firstLine.indexOf('\n', start);
    if (newline >= 0) this.lines = !isDocumentStart(this.firstLine.slice(start, newline));
    else if (this.firstLine.length > 16384) this.lines = !isDocumentStart(this.firstLine);
  }

  /** Processes chunk[i] (or a run from it) and returns the index of the last byte consumed. */
  private step(chunk: Buffer, i: number): number {
    const byte = chunk[i]!;
    if (this.skipToEol) {
      const next = chunk.indexOf(NEWLINE, i);
      if (next < 0) return chunk.length - 1;
      this.skipToEol = false;
      return next - 1; // the newline itself is handled next
    }
    if (this.inString) return this.scanString(chunk, i);
    if (this.skippingScalar) {
      if (byte !== COMMA && byte !== CLOSE_ARRAY && byte !== NEWLINE) return i;
      this.skippingScalar = false;
    }
    if (byte === NEWLINE) {
      if (this.lines === true && (this.depth > 0 || this.level !== 'top')) {
        this.fail('malformed JSON: the line ends inside a value', this.recordLine || this.line);
      }
      this.line++;
      return i;
    }
    if (this.parts === null && this.depth === 0) {
      if (byte === OPEN_OBJECT && this.lines === true && this.level === 'top') {
        const consumed = this.takeWholeLine(chunk, i);
        if (consumed >= 0) return consumed;
      }
      return this.betweenValues(chunk, i, byte);
    }
    return this.insideValue(chunk, i, byte);
  }

  private scanString(chunk: Buffer, i: number): number {
    let j = i;
    if (this.escaped) {
      this.escaped = false;
      j++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, j);
      const end = quote < 0 ? chunk.length : quote;
      if (this.nextBackslash < j) this.nextBackslash = indexOrEnd(chunk, BACKSLASH, j);
      if (this.lines === true) {
        if (this.nextNewline < j) this.nextNewline = indexOrEnd(chunk, NEWLINE, j);
        if (this.nextNewline < end && this.nextNewline < this.nextBackslash) {
          this.inString = false;
          this.keyParts = null;
          return this.nextNewline - 1; // the newline handler reports the broken line
        }
      }
      if (this.nextBackslash < end) {
        j = this.nextBackslash + 2; // skip the escape and the byte it escapes
        if (j > chunk.length) {
          this.escaped = true;
          return chunk.length - 1;
        }
        continue;
      }
      if (quote < 0) return chunk.length - 1;
      this.inString = false;
      if (this.keyParts !== null) {
        this.keyParts.push(chunk.subarray(this.keyStart, quote));
        const key = Buffer.concat(this.keyParts);
        this.lastString = key.length <= MAX_KEY_BYTES ? key.toString('utf8') : null;
        this.keyParts = null;
        this.keyStart = -1;
      }
      return quote;
    }
  }

  /**
   * The common case, one NDJSON record per line, without scanning byte by byte: a line
   * that cannot be an envelope is a record as it stands (JSON.parse validates it later).
   */
  private takeWholeLine(chunk: Buffer, i: number): number {
    const newline = chunk.indexOf(NEWLINE, i);
    if (newline < 0 || newline - i > MAX_RECORD_BYTES) return -1;
    let end = newline;
    while (end > i && isWhitespace(chunk[end - 1]!)) end--;
    const line = chunk.subarray(i, end);
    if (line.indexOf('"items"') >= 0 || line.indexOf('"records"') >= 0 || line.indexOf('vents"') >= 0) return -1;
    this.output.push({ kind: 'record', text: line.toString('utf8'), line: this.line, container: null });
    return newline - 1;
  }

  private betweenValues(chunk: Buffer, i: number, byte: number): number {
    if (isWhitespace(byte)) return i;
    if (this.level === 'array' || this.level === 'container') {
      if (byte === COMMA) return i;
      if (byte === CLOSE_ARRAY) {
        this.level = this.level === 'container' ? 'envelope-tail' : 'top';
        if (this.level === 'envelope-tail') this.depth = 1;
        this.container = this.level === 'envelope-tail' ? this.container : null;
        return i;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        this.startRecord(i);
        this.depth = 1;
        return i;
      }
      this.fail('not a JSON object', this.line);
      return this.skipScalar(chunk, i);
    }
    // level 'top'
    if (byte === OPEN_ARRAY) {
      this.level = 'array';
      return i;
    }
    if (byte === OPEN_OBJECT) {
      this.startRecord(i);
      this.topObject = true;
      this.currentKey = null;
      this.lastString = null;
      this.depth = 1;
      return i;
    }
    this.fail('not JSON: expected an object or an array', this.line);
    this.skipToEol = true;
    return i;
  }

  private insideValue(chunk: Buffer, i: number, byte: number): number {
    switch (byte) {
      case QUOTE:
        this.inString = true;
        this.escaped = false;
        if (this.depth === 1 && (this.topObject || this.level === 'envelope-tail')) {
          this.keyParts = [];
          this.keyStart = i + 1;
        }
        return i;
      case COLON:
        if (this.depth === 1) this.currentKey = this.lastString;
        return i;
      case COMMA:
        if (this.depth === 1) this.currentKey = null;
        return i;
      case OPEN_ARRAY:
        if (this.depth === 1 && this.topObject && this.currentKey !== null && CONTAINER_KEYS.has(this.currentKey)) {
          // The top-level object is an envelope: the elements of this array are the records.
          this.container = this.currentKey;
          this.level = 'container';
          this.parts = null;
          this.segmentStart = -1;
          this.topObject = false;
          this.depth = 0;
          return i;
        }
        this.depth++;
        return i;
      case OPEN_OBJECT:
        this.depth++;
        return i;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        this.depth--;
        if (this.depth === 0) this.closeValue(chunk, i);
        return i;
      default:
        return i;
    }
  }

  private closeValue(chunk: Buffer, i: number) {
    if (this.level === 'envelope-tail') {
      this.level = 'top';
      this.container = null;
      return;
    }
    if (this.parts === null) return;
    this.recordBytes += i + 1 - this.segmentStart;
    if (this.overlong || this.recordBytes > MAX_RECORD_BYTES) {
      this.fail(`record longer than ${MAX_RECORD_BYTES} bytes`, this.recordLine);
    } else {
      this.parts.push(chunk.subarray(this.segmentStart, i + 1));
      this.output.push({
        kind: 'record',
        text: Buffer.concat(this.parts).toString('utf8'),
        line: this.recordLine,
        container: this.level === 'container' ? this.container : null,
      });
    }
    this.parts = null;
    this.segmentStart = -1;
    this.topObject = false;
  }

  private startRecord(i: number) {
    this.parts = [];
    this.segmentStart = i;
    this.recordBytes = 0;
    this.recordLine = this.line;
    this.overlong = false;
  }

  /** A scalar where a record should be: skip to the next separator (line mode: the next line). */
  private skipScalar(chunk: Buffer, i: number): number {
    if (this.lines === true) this.skipToEol = true;
    else this.skippingScalar = true;
    return i;
  }

  private carryOver(chunk: Buffer) {
    if (this.parts !== null && this.segmentStart >= 0) {
      const tail = chunk.subarray(this.segmentStart);
      this.recordBytes += tail.length;
      if (this.recordBytes > MAX_RECORD_BYTES) {
        this.overlong = true;
        this.parts = [];
      } else {
        this.parts.push(tail);
      }
    }
    if (this.keyParts !== null && this.keyStart >= 0) {
      this.keyParts.push(chunk.subarray(this.keyStart));
      if (this.keyParts.reduce((total, part) => total + part.length, 0) > MAX_KEY_BYTES) this.keyParts = [];
    }
    this.segmentStart = -1;
    this.keyStart = -1;
  }

  private fail(reason: string, line: number) {
    this.output.push({ kind: 'error', line, reason });
    this.parts = null;
    this.segmentStart = -1;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.keyParts = null;
    this.topObject = false;
    if (this.lines === true) {
      this.level = 'top';
      this.container = null;
    }
  }
}

export async function* readRecords(source: AsyncIterable<Buffer>): AsyncGenerator<RawRecord> {
  const scanner = new RecordScanner();
  for await (const chunk of source) yield* scanner.push(chunk);
  yield* scanner.end();
}
