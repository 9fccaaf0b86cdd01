import { createHash } from 'node:crypto';
import {
  describeValue,
  readEventTime,
  rejectRecord,
  sanitizeOptionalText,
  sanitizeOriginal,
  sanitizeText,
  sanitizeTextList,
  skipRecord,
} from '../normalize';
import { ecsFileEventFieldsSchema, isJsonObject, readEcsField, readEcsFields } from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';
import { unwrapSearchHit } from './elastic-audit';

function toList(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/**
 * event.id when the source set one; else a hash of the document re-serialized, so a compact and a
 * pretty-printed export of the same document (or a bare document and its search hit) get the same key.
 */
function computeEventKey(eventId: string | null | undefined, document: unknown): string {
  if (eventId) return sanitizeText(eventId);
  return `sha256:${createHash('sha256').update(JSON.stringify(document)).digest('hex')}`;
}

function parseFileEvent(record: unknown, text: string): RecordOutcome {
  if (!isJsonObject(record)) return rejectRecord(`ECS document: expected object, received ${describeValue(record)}`);
  const { document, isHit } = unwrapSearchHit(record);
  const parsed = ecsFileEventFieldsSchema.safeParse(readEcsFields(document, ecsFileEventFieldsSchema));
  if (!parsed.success) return rejectRecord(formatFirstIssue(parsed.error));
  const fields = parsed.data;
  // Defend for Containers alerts about a process carry the executable in file.path too.
  const categories = toList(fields['event.category']);
  if (categories.length > 0 && !categories.includes('file')) {
    return skipRecord(`ECS event of category ${describeValue(categories.join(','))}, not a file event`);
  }
  const time = readEventTime(fields['@timestamp'], '@timestamp');
  if (!time.ok) return rejectRecord(time.reason);
  if (time.time === null) return rejectRecord('@timestamp: no event time (empty or Go zero time 0001-01-01T00:00:00Z)');
  const { original, originalText } = sanitizeOriginal(document, isHit ? undefined : text);
  return {
    kind: 'file',
    event: {
      cluster: sanitizeOptionalText(fields['orchestrator.cluster.name']),
      eventKey: computeEventKey(fields['event.id'], document),
      time: time.time,
      path: sanitizeText(fields['file.path']),
      action: sanitizeText(fields['event.action']),
      types: sanitizeTextList(toList(fields['event.type'])),
      categories: sanitizeTextList(categories),
      interactive: fields['process.interactive'] ?? null,
      processName: sanitizeOptionalText(fields['process.name']),
      processExecutable: sanitizeOptionalText(fields['process.executable']),
      processArgs: sanitizeTextList(toList(fields['process.args'])),
      processPid: fields['process.pid'] ?? null,
      processUser: sanitizeOptionalText(fields['process.user.name']),
      containerId: sanitizeOptionalText(fields['container.id']),
      podName: sanitizeOptionalText(fields['orchestrator.resource.name']),
      namespace: sanitizeOptionalText(fields['orchestrator.namespace']),
      hostOs: sanitizeOptionalText(fields['host.os.type']),
      original,
      ...(originalText === undefined ? {} : { originalText }),
    },
  };
}

export const fileEventsParser: FormatParser = {
  format: 'file-events',
  matches: (record) => {
    if (!isJsonObject(record)) return false;
    const { document } = unwrapSearchHit(record);
    return readEcsField(document, 'file.path') !== undefined && readEcsField(document, 'event.action') !== undefined;
  },
  parse: (record, context) => [parseFileEvent(record, context.text)],
};
