// The raw bytes of an upload: counted, un-gzipped when gzip, checked to be text.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../app-error';
import { describeSupportedFormats } from './detect-format';

const TEXT_CHECK_BYTES = 64 * 1024;
/** Audit logs gzip 10–40-fold; far beyond, past a first few megabytes, it is a decompression bomb. */
export const MAX_GZIP_RATIO = 100;
const RATIO_CHECK_AFTER_BYTES = 16 * 1024 ** 2;

export type ByteCounter = { compressed: number; decoded: number };

export type InputLimits = {
  /** Input bytes (before gunzip) beyond which the input is refused, what came before kept. */
  maxBytes?: number;
  /** The length the sender declared (Content-Length): an input that ends short of it was cut off. */
  expectedBytes?: number;
  /** Decompressed bytes beyond which a gzip input is refused, what came before kept. */
  maxDecodedBytes?: number;
};

async function* count(source: AsyncIterable<Buffer | Uint8Array>, counter: ByteCounter, limits: InputLimits) {
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  try {
    for await (const chunk of source) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      counter.compressed += buffer.length;
      if (counter.compressed > maxBytes) {
        throw new AppError(
          'too-large',
          `the input is larger than the ${maxBytes}-byte limit (VIGIL_MAX_UPLOAD_BYTES / VIGIL_MAX_WEBHOOK_BYTES); what came before the limit is stored`,
        );
      }
      yield buffer;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A client that goes away mid-body, a connection reset, a file that cannot be read further.
    throw new AppError(
      'cut-off',
      `the input was cut off after ${counter.compressed} bytes (${(error as Error).message}); the complete records before it are stored`,
    );
  }
  if (limits.expectedBytes !== undefined && counter.compressed < limits.expectedBytes) {
    throw new AppError(
      'cut-off',
      `the input ended after ${counter.compressed} of the ${limits.expectedBytes} bytes its sender declared: it was cut off on the way; the complete records before it are stored`,
    );
  }
}

/** Yields the decoded text bytes; throws an AppError for input that is not text, too large or cut off. */
export async function* decodeInput(
  source: AsyncIterable<Buffer | Uint8Array>,
  counter: ByteCounter = { compressed: 0, decoded: 0 },
  limits: InputLimits = {},
): AsyncGenerator<Buffer> {
  const iterator = count(source, counter, limits)[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest = { [Symbol.asyncIterator]: () => iterator };
  async function* all() {
    yield first.value as Buffer;
    yield* rest;
  }
  const isGzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const decoded: AsyncIterable<Buffer> = isGzip ? gunzip(all()) : all();

  let checked = 0;
  for await (let chunk of decoded) {
    if (checked === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      chunk = chunk.subarray(3); // UTF-8 byte order mark
    }
    if (checked < TEXT_CHECK_BYTES) {
      checkText(chunk.subarray(0, TEXT_CHECK_BYTES - checked), checked === 0);
      checked += chunk.length;
    }
    counter.decoded += chunk.length;
    if (isGzip) checkExpansion(counter, limits.maxDecodedBytes ?? Number.POSITIVE_INFINITY);
    yield chunk;
  }
}

async function* gunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(source);
  const inflate = createGunzip();
  // pipe() does not carry an error of the input on: without this, a body cut off or over its limit hangs here.
  input.once('error', (error) => inflate.destroy(error));
  try {
    for await (const chunk of input.pipe(inflate)) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad-gzip', `the gzip data is damaged: ${(error as Error).message}`);
  }
}

const decoder = new TextDecoder('utf-8');

/** Characters no text log holds in numbers: NUL and other C0 controls (tab, CR, LF aside), undecodable bytes. */
function countSuspicious(sample: Buffer): number {
  let count = 0;
  for (const byte of sample) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) count++;
  // A multi-byte character cut at the end of the sample is not counted.
  const text = decoder.decode(sample.subarray(0, Math.max(0, sample.length - 3)));
  for (const char of text) if (char === '\uFFFD') count++;
  return count;
}

function checkExpansion(counter: ByteCounter, maxDecodedBytes: number) {
  if (counter.decoded > maxDecodedBytes) {
    throw new AppError(
      'too-large',
      `the input decompresses to more than the ${maxDecodedBytes}-byte limit (VIGIL_MAX_DECOMPRESSED_BYTES); what came before the limit is stored`,
    );
  }
  if (counter.decoded > RATIO_CHECK_AFTER_BYTES && counter.decoded > MAX_GZIP_RATIO * counter.compressed) {
    throw new AppError(
      'too-large',
      `the gzip data expands more than ${MAX_GZIP_RATIO}-fold (${counter.decoded} bytes from ${counter.compressed}): refused as a decompression bomb; what came before is stored`,
    );
  }
}

/**
 * Binary, not text: a UTF-16 byte order mark, or more than the odd stray byte a log line may carry
 * (NUL, control characters, invalid UTF-8) — one such byte rejects its record, not the file.
 */
function checkText(sample: Buffer, atStart: boolean) {
  const utf16 =
    atStart &&
    sample.length >= 2 &&
    ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff));
  if (utf16 || countSuspicious(sample) > Math.max(1, sample.length / 100)) {
    throw new AppError(
      'not-text',
      `this file is not UTF-8 text (${utf16 ? 'it is UTF-16' : 'it holds binary data'}). Supported: ${describeSupportedFormats()}, each as text or gzip.`,
    );
  }
}
