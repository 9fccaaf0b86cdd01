/**
 * V8 flags for processes that ingest. A smaller young generation is collected more
 * often, which keeps a streaming ingest's memory flat (measured: ~200 MB instead of
 * ~300-460 MB peak RSS for the same file) at no measurable cost in throughput.
 */
export const INGEST_V8_FLAGS = ['--max-semi-space-size=16'];

/** NODE_OPTIONS with the ingest flags added to whatever the environment already sets. */
export function withIngestNodeOptions(current: string | undefined): string {
  return [current, ...INGEST_V8_FLAGS].filter(Boolean).join(' ');
}
