// The files of a multipart/form-data body, one at a time, streamed: busboy holds back
// the next file until the current one has been read to its end.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';

export type UploadedFile = { fieldName: string; fileName: string; stream: Readable };

export async function* readMultipartFiles(request: Request, limits: { files: number }): AsyncGenerator<UploadedFile> {
  if (!request.body) return;
  const parser = busboy({
    headers: Object.fromEntries(request.headers),
    limits: { files: limits.files, fields: 20, fieldSize: 16 * 1024, parts: limits.files + 20, headerPairs: 100 },
  });
  const queue: (UploadedFile | Error | null)[] = [];
  let wake: (() => void) | null = null;
  const push = (item: UploadedFile | Error | null) => {
    queue.push(item);
    wake?.();
  };
  parser.on('file', (fieldName, stream, info) => push({ fieldName, fileName: info.filename || fieldName, stream }));
  parser.on('error', (error) => push(error instanceof Error ? error : new Error(String(error))));
  parser.on('close', () => push(null));
  const body = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>);
  // pipe() does not carry a broken body on: destroying the parser errors the file being read, so its
  // batch fails as cut off instead of waiting forever for the rest.
  body.once('error', (error) => parser.destroy(error));
  body.pipe(parser);

  for (;;) {
    if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    const item = queue.shift();
    if (item === null || item === undefined) return;
    if (item instanceof Error) throw new Error(`the multipart body is malformed: ${item.message}`);
    yield item;
  }
}
