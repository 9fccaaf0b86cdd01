import { describeValue, rejectRecord, sanitizeText, skipRecord } from '../normalize';
import { cloudWatchLogEventSchema, cloudWatchSubscriptionSchema, isJsonObject, type JsonObject } from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';
import { looksLikeAuditDocument, parseAuditDocument } from './k8s-audit';

// CloudWatch cuts events over 10,000 characters (the falcosecurity k8saudit-eks plugin documents it).
const TRUNCATED_MARKER = '[Truncated...]';
const CONTROL_MESSAGE_PREFIX = 'CWL CONTROL MESSAGE';
// "/aws/eks/<cluster>/cluster", or Logs Insights' @log "<account>:/aws/eks/<cluster>/cluster".
const EKS_LOG_GROUP = /(?:^|:)\/aws\/eks\/([^/]+)\/cluster$/;

function readClusterFromLogGroup(logGroup: string | null | undefined): string | null {
  if (logGroup === null || logGroup === undefined) return null;
  return EKS_LOG_GROUP.exec(logGroup)?.[1] ?? null;
}

function isSubscriptionEnvelope(record: JsonObject): boolean {
  return 'logEvents' in record || 'messageType' in record;
}

/** A whole `aws logs filter-log-events` / `get-log-events` output rather than one of its events. */
function isEventsDocument(record: JsonObject): boolean {
  return Array.isArray(record.events) && !('message' in record);
}

function parseSubscriptionEnvelope(record: JsonObject): RecordOutcome[] {
  const parsed = cloudWatchSubscriptionSchema.safeParse(record);
  if (!parsed.success) return [rejectRecord(formatFirstIssue(parsed.error))];
  if (parsed.data.messageType === 'CONTROL_MESSAGE')
    return [skipRecord('CloudWatch Logs subscription control message')];
  if (parsed.data.logEvents.length === 0) return [skipRecord('CloudWatch Logs subscription with no logEvents')];
  const cluster = readClusterFromLogGroup(parsed.data.logGroup);
  return parsed.data.logEvents.flatMap((event) => parseLogEvent(event, cluster));
}

function parseLogEvent(value: unknown, envelopeCluster: string | null): RecordOutcome[] {
  if (!isJsonObject(value))
    return [rejectRecord(`CloudWatch log event: expected object, received ${describeValue(value)}`)];
  const parsed = cloudWatchLogEventSchema.safeParse(value);
  if (!parsed.success) return [rejectRecord(formatFirstIssue(parsed.error))];
  const message = parsed.data.message ?? parsed.data['@message'];
  if (message === undefined) return [rejectRecord('message: missing (expected string)')];
  const cluster =
    readClusterFromLogGroup(parsed.data.logGroup ?? parsed.data.logGroupName ?? parsed.data['@log']) ?? envelopeCluster;
  return parseMessage(message, cluster);
}

function parseMessage(message: string, cluster: string | null): RecordOutcome[] {
  if (message.trimEnd().endsWith(TRUNCATED_MARKER)) {
    return [rejectRecord('CloudWatch truncated this message at 10,000 characters ([Truncated...])')];
  }
  if (message.startsWith(CONTROL_MESSAGE_PREFIX)) return [skipRecord('CloudWatch Logs subscription control message')];
  const trimmed = message.trimStart();
  if (!trimmed.startsWith('{')) {
    return [skipRecord(`CloudWatch message is not JSON, so not an audit event (starts ${previewText(trimmed)})`)];
  }
  let document: unknown;
  try {
    document = JSON.parse(message);
  } catch (error) {
    // Text that names the audit API was meant to be an audit event; anything else is another log stream.
    return message.includes('"audit.k8s.io/')
      ? [rejectRecord(`CloudWatch message is not valid JSON: ${sanitizeText((error as Error).message)}`)]
      : [skipRecord('CloudWatch message is not JSON, so not an audit event')];
  }
  if (!looksLikeAuditDocument(document)) {
    return [skipRecord('CloudWatch message is JSON but not a Kubernetes audit event')];
  }
  return parseAuditDocument(document, { cluster, originalText: message });
}

function previewText(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return describeValue(line.length > 40 ? `${line.slice(0, 40)}…` : line);
}

export const eksCloudWatchParser: FormatParser = {
  format: 'eks-cloudwatch',
  // ECS documents carry "message" too, but always with "@timestamp"; Logs Insights rows use "@message".
  matches: (record) =>
    isJsonObject(record) &&
    (('message' in record && !('@timestamp' in record)) ||
      '@message' in record ||
      isSubscriptionEnvelope(record) ||
      isEventsDocument(record)),
  parse: (record) => {
    if (!isJsonObject(record))
      return [rejectRecord(`CloudWatch log event: expected object, received ${describeValue(record)}`)];
    if (isSubscriptionEnvelope(record)) return parseSubscriptionEnvelope(record);
    if (isEventsDocument(record)) {
      const events = record.events as unknown[];
      if (events.length === 0) return [skipRecord('CloudWatch Logs output with no events')];
      return events.flatMap((event) => parseLogEvent(event, null));
    }
    return parseLogEvent(record, null);
  },
};
