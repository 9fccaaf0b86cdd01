// Timing one HTTP request of the UI benchmark: status checked, the whole body read; for exports
// the first body byte and the number of rows too.

export type Sample = { ms: number; firstByteMs: number; bytes: number; rows: number | null };

export class RouteError extends Error {}

/**
 * GETs `baseUrl + path`, reads the body to its end and returns the times from just before the
 * request: to the first body chunk and to the last. A status outside `statuses` throws, naming
 * the route, the status and the start of the body. Redirects are not followed (a redirect to
 * sign-in is a failure, not a fast page).
 */
export async function timeRequest(
  baseUrl: string,
  route: { name: string; path: string },
  headers: Record<string, string>,
  options: { statuses?: readonly number[]; countRows?: 'csv' | 'ndjson' } = {},
): Promise<Sample> {
  const statuses = options.statuses ?? [200];
  const started = performance.now();
  const response = await fetch(`${baseUrl}${route.path}`, {
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(600_000),
  });
  if (!statuses.includes(response.status)) {
    const body = await response.text().catch(() => '');
    const location = response.headers.get('location');
    throw new RouteError(
      `${route.name} (GET ${route.path}) answered ${response.status}${location ? ` → ${location}` : ''}: ${body.slice(0, 300)}`,
    );
  }
  const counter = options.countRows ? createRowCounter(options.countRows) : null;
  let firstByteMs: number | null = null;
  let bytes = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      firstByteMs ??= performance.now() - started;
      bytes += value.byteLength;
      counter?.add(value);
    }
  }
  const ms = performance.now() - started;
  return { ms, firstByteMs: firstByteMs ?? ms, bytes, rows: counter ? counter.rows() : null };
}

/** Records in a streamed export: NDJSON lines, or CSV records (line ends outside quotes) less the header. */
function createRowCounter(format: 'csv' | 'ndjson') {
  const LF = 0x0a;
  const QUOTE = 0x22;
  let lines = 0;
  let quoted = false;
  let last = LF;
  return {
    add(chunk: Uint8Array) {
      for (const byte of chunk) {
        if (format === 'csv' && byte === QUOTE) quoted = !quoted;
        else if (byte === LF && !quoted) lines++;
      }
      if (chunk.byteLength > 0) last = chunk[chunk.byteLength - 1]!;
    },
    rows() {
      const records = lines + (last === LF ? 0 : 1);
      return format === 'csv' ? Math.max(0, records - 1) : records;
    },
  };
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
