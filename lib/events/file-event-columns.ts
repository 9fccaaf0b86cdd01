// The one definition of a container file event row (file_events), as audit-event-columns.ts is for requests.
import { codecs, column, defineTable, type InputOf, type RowOf } from '../db/table-columns';

export const fileEvents = defineTable('file_events', 'f', {
  id: column('id', codecs.id),
  cluster: column('cluster', codecs.text),
  /** event.id when present, else a hash of the document: makes re-ingest idempotent. */
  eventKey: column('event_key', codecs.text),
  time: column('time', codecs.time),
  path: column('path', codecs.text),
  action: column('action', codecs.text),
  types: column('types', codecs.textArray),
  /** event.category: upstream's `file where` needs `file`. */
  categories: column('categories', codecs.textArray),
  interactive: column('interactive', codecs.optionalBoolean),
  processName: column('process_name', codecs.optionalText),
  processExecutable: column('process_executable', codecs.optionalText),
  processArgs: column('process_args', codecs.textArray),
  processPid: column('process_pid', codecs.optionalInt),
  processUser: column('process_user', codecs.optionalText),
  containerId: column('container_id', codecs.optionalText),
  podName: column('pod_name', codecs.optionalText),
  namespace: column('namespace', codecs.optionalText),
  hostOs: column('host_os', codecs.optionalText),
  sourceFormat: column('source_format', codecs.text),
  batchId: column('batch_id', codecs.optionalUuid),
  /** The document as it arrived. */
  original: column('original', codecs.json),
});

export type FileEvent = RowOf<typeof fileEvents.columns>;
export type FileEventField = keyof FileEvent & string;
export type FileEventInput = InputOf<typeof fileEvents.columns>;

export const FILE_EVENT_RECORD_FIELDS = [
  'eventKey',
  'time',
  'path',
  'action',
  'types',
  'categories',
  'interactive',
  'processName',
  'processExecutable',
  'processArgs',
  'processPid',
  'processUser',
  'containerId',
  'podName',
  'namespace',
  'hostOs',
] as const satisfies readonly FileEventField[];

export const FILE_EVENT_WRITTEN_FIELDS = [
  'cluster',
  ...FILE_EVENT_RECORD_FIELDS,
  'sourceFormat',
  'batchId',
  'original',
] as const satisfies readonly FileEventField[];

/** What the sequence rule reads. */
export const DETECTION_FILE_FIELDS = [
  'id',
  'cluster',
  'time',
  'path',
  'action',
  'types',
  'categories',
  'interactive',
  'containerId',
  'podName',
  'namespace',
  'hostOs',
  'processName',
] as const satisfies readonly FileEventField[];

/** What the explorer, evidence lists and exports show of a file event, in the export's column order. */
export const LISTED_FILE_FIELDS = [
  'id',
  'time',
  'cluster',
  'podName',
  'namespace',
  'containerId',
  'action',
  'path',
  'types',
  'processName',
  'processExecutable',
  'processArgs',
  'processUser',
  'interactive',
  'sourceFormat',
] as const satisfies readonly FileEventField[];
