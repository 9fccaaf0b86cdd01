import { describeValue, rejectRecord, sanitizeText, skipRecord } from '../normalize';
import { aksDiagnosticRecordSchema, isJsonObject } from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';
import { parseAuditDocument } from './k8s-audit';

const AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);
const MANAGED_CLUSTER = /\/managedClusters\/([^/]+)/i;

/**
 * Azure Monitor upper-cases resource IDs in exports (".../MANAGEDCLUSTERS/TEST-AKS"), so the real casing is
 * gone; the name is lower-cased so every export of one cluster agrees.
 */
export function readClusterFromResourceId(resourceId: string | null | undefined): string | null {
  if (resourceId === null || resourceId === undefined) return null;
  return MANAGED_CLUSTER.exec(resourceId)?.[1]?.toLowerCase() ?? null;
}

function parseAksRecord(value: unknown): RecordOutcome[] {
  if (!isJsonObject(value))
    return [rejectRecord(`AKS diagnostic record: expected object, received ${describeValue(value)}`)];
  if (typeof value.category === 'string' && !AUDIT_CATEGORIES.has(value.category)) {
    return [
      skipRecord(`AKS diagnostic category ${describeValue(value.category)} is not kube-audit or kube-audit-admin`),
    ];
  }
  const parsed = aksDiagnosticRecordSchema.safeParse(value);
  if (!parsed.success) return [rejectRecord(formatFirstIssue(parsed.error))];
  const cluster = readClusterFromResourceId(parsed.data.resourceId);
  const log = parsed.data.properties.log;
  if (typeof log !== 'string') return parseAuditDocument(log, { cluster });
  if (!log.trimStart().startsWith('{'))
    return [skipRecord('AKS audit log line is not JSON (klog text), so not an audit event')];
  let document: unknown;
  try {
    document = JSON.parse(log);
  } catch (error) {
    return [rejectRecord(`properties.log is not valid JSON: ${sanitizeText((error as Error).message)}`)];
  }
  return parseAuditDocument(document, { cluster, originalText: log });
}

export const aksDiagnosticsParser: FormatParser = {
  format: 'aks-diagnostics',
  // Azure Monitor resource logs always carry category and operationName; a whole {"records": [...]} export
  // is accepted too.
  matches: (record) =>
    isJsonObject(record) &&
    (('category' in record && ('properties' in record || 'operationName' in record || 'resourceId' in record)) ||
      Array.isArray(record.records)),
  parse: (record) => {
    if (isJsonObject(record) && !('category' in record) && Array.isArray(record.records)) {
      if (record.records.length === 0) return [skipRecord('Azure export with no records')];
      return record.records.flatMap((item: unknown) => parseAksRecord(item));
    }
    return parseAksRecord(record);
  },
};
