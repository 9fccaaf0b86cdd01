// The contract between the streaming pipeline (framing, batching, COPY) and the pure
// format parsers: a parser turns one JSON record into normalized events or a verdict.
import type { AUDIT_EVENT_RECORD_FIELDS, AuditEvent } from '../events/audit-event-columns';
import type { FILE_EVENT_RECORD_FIELDS, FileEvent } from '../events/file-event-columns';

export const INGEST_FORMATS = [
  'k8s-audit',
  'eks-cloudwatch',
  'gke-cloud-audit',
  'aks-diagnostics',
  'elastic-audit',
  'file-events',
] as const;

export type IngestFormat = (typeof INGEST_FORMATS)[number];

export const FORMAT_DESCRIPTIONS: Record<IngestFormat, string> = {
  'k8s-audit': 'native audit.k8s.io/v1 Event or EventList (NDJSON, JSON array, or one EventList document)',
  'eks-cloudwatch':
    'EKS audit logs from CloudWatch Logs (message lines, filter-log-events output, subscription envelopes)',
  'gke-cloud-audit': 'GKE Cloud Audit Logs entries (protoPayload, serviceName k8s.io)',
  'aks-diagnostics': 'AKS diagnostic logs from Azure Monitor (records[] with category kube-audit or kube-audit-admin)',
  'elastic-audit': 'Elastic documents from logs-kubernetes.audit_logs-* (kubernetes.audit.*, ECS fields)',
  'file-events': 'container file events in the Elastic Defend for Containers shape (file.*, process.*, orchestrator.*)',
};

/**
 * One Kubernetes audit event, normalized: the stored row's record fields, with the times as the
 * source wrote them (full precision) and the cluster only when the record names one. Strings never
 * contain U+0000 (PostgreSQL text rejects it).
 */
export type NormalizedAuditEvent = Omit<
  Pick<AuditEvent, (typeof AUDIT_EVENT_RECORD_FIELDS)[number]>,
  'time' | 'receivedAt' | 'startedAt' | 'completedAt' | 'panickedAt'
> & {
  /** From the record when it says (GKE resource labels, AKS resourceId, ECS orchestrator.cluster.name), else null: the batch's cluster applies. */
  cluster: string | null;
  /** requestReceivedTimestamp as an ISO-8601 string, full precision kept (falls back to stageTimestamp, the legacy `timestamp`, the entry time). */
  time: string;
  /** The record's own stage and its stageTimestamp; the other stages null. */
  receivedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  panickedAt: string | null;
  /** The audit event document as the source had it, transport envelopes (CloudWatch, Azure) removed. */
  original: unknown;
  /** The exact JSON text of `original` when the parser has it, so the pipeline need not re-serialize. */
  originalText?: string;
};

/** A container file event (Defend for Containers shape), normalized. */
export type NormalizedFileEvent = Omit<Pick<FileEvent, (typeof FILE_EVENT_RECORD_FIELDS)[number]>, 'time'> & {
  cluster: string | null;
  time: string;
  original: unknown;
  originalText?: string;
};

export type RecordOutcome =
  | { kind: 'audit'; event: NormalizedAuditEvent }
  | { kind: 'file'; event: NormalizedFileEvent }
  /** A well-formed record that is not audit data (other GKE services, other AKS categories, klog text). */
  | { kind: 'skipped'; reason: string }
  /**
   * A record that should have been audit data but cannot be used (bad type, missing field, truncated).
   * `notOfFormat`: the parser claimed it only to say why it is not one of its records (`{"kind": 0}`).
   */
  | { kind: 'rejected'; reason: string; notOfFormat?: true };

/** Where a record came from in the input. */
export type RecordContext = {
  /** The exact JSON text of the record. */
  text: string;
  /** The array key the record was unwrapped from (items, records, events, logEvents), or null for a top-level record. */
  container: string | null;
};

export type FormatParser = {
  format: IngestFormat;
  /** Cheap shape test used by auto-detection, record by record. */
  matches(record: unknown, context: RecordContext): boolean;
  /** One record in, one or more outcomes out (an EventList line yields many). Pure: no I/O, no clock. */
  parse(record: unknown, context: RecordContext): RecordOutcome[];
};
