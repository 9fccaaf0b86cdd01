// JSON request bodies for REST: size-capped while streaming (Content-Length can lie or be absent).
import { jsonError } from './responses';

export const DEFAULT_JSON_BODY_BYTES = 256 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

export async function readJsonBody(request: Request, maxBytes = DEFAULT_JSON_BODY_BYTES): Promise<JsonBody> {
  const tooLarge = () => ({
    ok: false as const,
    response: jsonError(413, `the JSON body is larger than ${maxBytes} bytes`),
  });
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge();
  if (!request.body) return { ok: false, response: jsonError(400, 'expected a JSON body') };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (error) {
    return { ok: false, response: jsonError(400, `the body is not valid JSON: ${(error as Error).message}`) };
  }
}
