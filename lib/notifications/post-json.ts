// One HTTP POST to a destination, bounded: a deadline for the whole exchange, a cap on the answer read,
// no redirects followed, and every address the name resolves to checked against the refused ranges.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isBlockedAddress, refuseDestinationUrl } from './check-url';

export type SendResult = {
  ok: boolean;
  statusCode: number | null;
  /** The first part of the answer, for the delivery log. */
  excerpt: string | null;
  error: string | null;
  latencyMs: number;
};

export type PostLimits = { timeoutMs: number; maxResponseBytes: number; allowPrivate: boolean };

export const DEFAULT_POST_LIMITS: Omit<PostLimits, 'allowPrivate'> = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };
const EXCERPT_CHARS = 500;

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((entry) => isBlockedAddress(entry.address));
      if (refused)
        return callback(
          Object.assign(new Error(`${hostname} resolves to ${refused.address}, a refused address`), {
            code: 'EREFUSED_ADDRESS',
          }),
          '',
          0,
        );
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  limits: PostLimits,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refused = refuseDestinationUrl(url, limits.allowPrivate);
  if (refused) return Promise.resolve({ ok: false, statusCode: null, excerpt: null, error: refused, latencyMs: 0 });
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      resolve({ ...result, latencyMs: elapsed() });
    };
    const request = transport.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Vigil-Notifications/1',
        },
        lookup: guardedLookup(limits.allowPrivate),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const statusCode = response.statusCode ?? null;
        const excerpt = () => Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxResponseBytes) {
            chunks.push(chunk.subarray(0, Math.max(0, limits.maxResponseBytes - (size - chunk.length))));
            finish({
              ok: false,
              statusCode,
              excerpt: excerpt(),
              error: `answer larger than ${limits.maxResponseBytes} bytes: cut off`,
            });
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          const redirect = statusCode !== null && statusCode >= 300 && statusCode < 400;
          finish({
            ok,
            statusCode,
            excerpt: excerpt(),
            error: ok
              ? null
              : redirect
                ? `redirect to ${response.headers.location ?? '?'} not followed`
                : `answered HTTP ${statusCode}`,
          });
        });
        response.on('error', (error) => finish({ ok: false, statusCode, excerpt: excerpt(), error: error.message }));
      },
    );
    const deadline = setTimeout(
      () =>
        finish({ ok: false, statusCode: null, excerpt: null, error: `no answer within ${limits.timeoutMs / 1000} s` }),
      limits.timeoutMs,
    );
    request.on('error', (error) => finish({ ok: false, statusCode: null, excerpt: null, error: error.message }));
    request.end(body);
  });
}
