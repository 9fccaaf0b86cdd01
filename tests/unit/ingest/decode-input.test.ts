import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/app-error';
import { decodeInput } from '../../../lib/ingest/decode-input';

async function* chunksOf(data: Buffer, size: number, thenThrow?: Error): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
  if (thenThrow) throw thenThrow;
}

async function readAll(source: AsyncIterable<Buffer>) {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

const text = Buffer.from('{"a":1}\n'.repeat(50_000));

describe('decodeInput', () => {
  it('passes text through and un-gzips gzip', async () => {
    await expect(readAll(decodeInput(chunksOf(text, 4096)))).resolves.toBe(text.toString());
    await expect(readAll(decodeInput(chunksOf(gzipSync(text), 4096)))).resolves.toBe(text.toString());
  });

  it('refuses input over its limit, plain or gzip, instead of hanging', async () => {
    for (const body of [
      text,
      gzipSync(Buffer.concat([text, Buffer.from(crypto.getRandomValues(new Uint8Array(60_000)).join(','))])),
    ]) {
      const error = await readAll(decodeInput(chunksOf(body, 1024), undefined, { maxBytes: 2048 })).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('too-large');
    }
  });

  it('says an input was cut off when it ends short of its declared length, plain or gzip', async () => {
    for (const body of [text, gzipSync(text)]) {
      const short = body.subarray(0, Math.floor(body.length / 2));
      const error = await readAll(decodeInput(chunksOf(short, 1024), undefined, { expectedBytes: body.length })).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('cut-off');
      expect(error.message).toMatch(new RegExp(`ended after ${short.length} of the ${body.length} bytes`));
    }
    await expect(readAll(decodeInput(chunksOf(text, 1024), undefined, { expectedBytes: text.length }))).resolves.toBe(
      text.toString(),
    );
  });

  it('turns a source that breaks (a client gone mid-body) into a cut-off input, plain or gzip', async () => {
    for (const body of [text, gzipSync(text)]) {
      const half = body.subarray(0, Math.floor(body.length / 2));
      const error = await readAll(decodeInput(chunksOf(half, 100, new Error('aborted')))).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('cut-off');
      expect(error.message).toContain(`cut off after ${half.length} bytes (aborted)`);
    }
  });
});

describe('decodeInput and decompression bombs', () => {
  it('refuses gzip that expands a hundredfold past its first 16 MiB, within a few megabytes of reading', async () => {
    const bomb = gzipSync(Buffer.alloc(256 * 1024 ** 2, '{"kind":"Event"}\n'));
    expect(bomb.length).toBeLessThan(2 * 1024 ** 2);
    let decoded = 0;
    const error = await (async () => {
      for await (const chunk of decodeInput(chunksOf(bomb, 64 * 1024))) decoded += chunk.length;
    })().catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/expands more than 100-fold .*decompression bomb; what came before is stored/);
    expect(decoded).toBeLessThan(64 * 1024 ** 2);
  });

  it('refuses gzip past the decompressed-size limit, and takes what compresses like a real log', async () => {
    const log = Buffer.from(
      Array.from({ length: 40_000 }, (_, index) =>
        JSON.stringify({ auditID: crypto.randomUUID(), n: index, user: `u${index % 97}` }),
      ).join('\n'),
    );
    const error = await readAll(
      decodeInput(chunksOf(gzipSync(log), 4096), undefined, { maxDecodedBytes: 1024 * 1024 }),
    ).catch((e) => e);
    expect(error).toMatchObject({ code: 'too-large' });
    expect(error.message).toMatch(/VIGIL_MAX_DECOMPRESSED_BYTES/);
    await expect(readAll(decodeInput(chunksOf(gzipSync(log), 4096)))).resolves.toBe(log.toString());
  });
});

describe('decodeInput and NUL bytes', () => {
  it('passes a file with a stray NUL byte on to the records (its record alone is rejected there)', async () => {
    const withNul = Buffer.from(`{"a":"x\u0000y"}\n${'{"a":1}\n'.repeat(2000)}`);
    await expect(readAll(decodeInput(chunksOf(withNul, 4096)))).resolves.toBe(withNul.toString());
  });

  it('still refuses binary and UTF-16 files', async () => {
    const utf16 = Buffer.from('{"a":1}\n'.repeat(100), 'utf16le');
    const binary = Buffer.from(
      crypto.getRandomValues(new Uint8Array(8192)).map((byte, index) => (index % 7 ? byte : 0)),
    );
    for (const body of [utf16, binary]) {
      await expect(readAll(decodeInput(chunksOf(body, 4096)))).rejects.toMatchObject({ code: 'not-text' });
    }
  });
});
