import { aksDiagnosticsParser } from './formats/aks-diagnostics';
import { eksCloudWatchParser } from './formats/eks-cloudwatch';
import { elasticAuditParser } from './formats/elastic-audit';
import { fileEventsParser } from './formats/file-events';
import { gkeCloudAuditParser } from './formats/gke-cloud-audit';
import { k8sAuditParser } from './formats/k8s-audit';
import { describeValue, rejectRecord, sanitizeText } from './normalize';
import { isJsonObject } from './schemas';
import {
  FORMAT_DESCRIPTIONS,
  INGEST_FORMATS,
  type FormatParser,
  type IngestFormat,
  type RecordContext,
  type RecordOutcome,
} from './types';

export const formatParsers: Record<IngestFormat, FormatParser> = {
  'k8s-audit': k8sAuditParser,
  'eks-cloudwatch': eksCloudWatchParser,
  'gke-cloud-audit': gkeCloudAuditParser,
  'aks-diagnostics': aksDiagnosticsParser,
  'elastic-audit': elasticAuditParser,
  'file-events': fileEventsParser,
};

// Most specific shape first. Native events are recognised by kind/auditID/apiVersion, which no envelope has
// at its top level; ECS audit documents (kubernetes.audit) come before file events (file.path + event.action);
// CloudWatch goes last because "message" is the loosest signal.
const DETECTION_ORDER: readonly IngestFormat[] = [
  'k8s-audit',
  'gke-cloud-audit',
  'aks-diagnostics',
  'elastic-audit',
  'file-events',
  'eks-cloudwatch',
];

export function detectRecordFormat(record: unknown, context: RecordContext): IngestFormat | null {
  if (!isJsonObject(record)) return null;
  for (const format of DETECTION_ORDER) {
    if (formatParsers[format].matches(record, context)) return format;
  }
  return null;
}

/** Detection per record for 'auto'; an explicit format uses that parser only. Never throws. */
export function parseRecord(
  record: unknown,
  context: RecordContext,
  format: IngestFormat | 'auto',
): { format: IngestFormat | null; recognized: boolean; outcomes: RecordOutcome[] } {
  if (!isJsonObject(record)) {
    const reason = `not a JSON object (received ${describeValue(record)})`;
    return { format: null, recognized: false, outcomes: [rejectRecord(reason)] };
  }
  if (format === 'auto') {
    const detected = detectRecordFormat(record, context);
    if (detected === null)
      return { format: null, recognized: false, outcomes: [rejectRecord(describeUnrecognizedRecord(record))] };
    return { format: detected, recognized: true, outcomes: runParser(formatParsers[detected], record, context) };
  }
  const parser = formatParsers[format];
  if (!parser.matches(record, context)) {
    const detected = detectRecordFormat(record, context);
    const hint = detected === null ? '' : ` (it looks like ${detected})`;
    return { format, recognized: false, outcomes: [rejectRecord(`not a ${format} record${hint}`)] };
  }
  return { format, recognized: true, outcomes: runParser(parser, record, context) };
}

// Parsers do not throw on bad data; this guards an upload against a parser bug or a pathological record
// (a stack overflow on absurd nesting) costing more than that one record.
function runParser(parser: FormatParser, record: unknown, context: RecordContext): RecordOutcome[] {
  try {
    return parser.parse(record, context);
  } catch (error) {
    return [rejectRecord(`could not parse this ${parser.format} record: ${sanitizeText(String(error))}`)];
  }
}

function describeUnrecognizedRecord(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  const shown = keys.slice(0, 8).map((key) => sanitizeText(key.length > 40 ? `${key.slice(0, 40)}…` : key));
  const more = keys.length > shown.length ? ', …' : '';
  return `unrecognized record (keys: ${shown.join(', ') || 'none'}${more}); expected one of: ${INGEST_FORMATS.join(', ')}`;
}

/** Every format with its description on one line, to sit inside an error message sentence. */
export function describeSupportedFormats(): string {
  return INGEST_FORMATS.map((format) => `${format}: ${FORMAT_DESCRIPTIONS[format]}`).join('; ');
}
