// A chunk's audit records as the requests they belong to: the stages of one request (cluster, auditID,
// event time) merged into one row, each stage's original kept. Pure: the store and its tests share it.
import { mergeRequestStages, stagesOf, type RequestStage } from '../events/request-stages';
import type { NormalizedAuditEvent } from './types';

export type StagedRecord = { event: NormalizedAuditEvent; line: number; cluster: string; sourceFormat: string };

/** One request of the chunk: its merged row, the original of each stage seen, the records it came from. */
export type ChunkRequest = {
  key: string;
  cluster: string;
  sourceFormat: string;
  row: NormalizedAuditEvent;
  /** The exact JSON text of each stage's record. */
  originals: Partial<Record<RequestStage, string>>;
  /** The line of each stage's record, for reporting a row the database refuses. */
  lines: Partial<Record<RequestStage, number>>;
};

export type MergedChunk = {
  requests: ChunkRequest[];
  /** Records that repeat a stage already in the chunk: nothing new. */
  repeats: number;
};

/** The identity of a request in the store: cluster, auditID and its requestReceivedTimestamp as written. */
export function requestKey(cluster: string, auditId: string, time: string): string {
  return `${cluster}\u0000${auditId}\u0000${new Date(time).getTime()}\u0000${microseconds(time)}`;
}

// Sub-millisecond digits of an RFC 3339 time (PostgreSQL keeps microseconds, a Date does not).
function microseconds(time: string): string {
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? '';
  return fraction.slice(3, 6).padEnd(3, '0');
}

export function originalText(event: { original: unknown; originalText?: string }): string {
  return event.originalText ?? JSON.stringify(event.original);
}

/** The stages' originals as one JSON object text, without parsing or re-serializing the records. */
export function originalsJson(originals: Partial<Record<RequestStage, string>>): string {
  return `{${Object.entries(originals)
    .map(([stage, text]) => `${JSON.stringify(stage)}:${text}`)
    .join(',')}}`;
}

/** Groups and merges; requests come out sorted by key, the order the store locks and writes them in. */
export function mergeChunkRequests(records: readonly StagedRecord[]): MergedChunk {
  const byKey = new Map<string, ChunkRequest>();
  let repeats = 0;
  for (const record of records) {
    const key = requestKey(record.cluster, record.event.auditId, record.event.time);
    const [stage] = stagesOf(record.event);
    const text = originalText(record.event);
    const found = byKey.get(key);
    if (!found) {
      byKey.set(key, {
        key,
        cluster: record.cluster,
        sourceFormat: record.sourceFormat,
        row: record.event,
        originals: stage ? { [stage]: text } : {},
        lines: stage ? { [stage]: record.line } : {},
      });
    } else if (stage === undefined || found.originals[stage] !== undefined) {
      repeats++;
    } else {
      found.row = mergeRequestStages(found.row, record.event);
      found.originals[stage] = text;
      found.lines[stage] = record.line;
    }
  }
  const requests = [...byKey.values()].sort((left, right) =>
    left.key < right.key ? -1 : left.key > right.key ? 1 : 0,
  );
  return { requests, repeats };
}
