// Audit log files the size users have, written to disk as a stream: requests at RequestResponse
// level (an object body of a chosen size), each logged at RequestReceived and ResponseComplete.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export type AuditLogShape = {
  requests: number;
  /** Bytes of object body per request (requestObject and responseObject carry it). */
  bodyBytes: number;
  /** Prefix of every auditID: files written with different prefixes never overlap. */
  prefix: string;
  start?: Date;
  /** Random (incompressible) bodies instead of repeated text: makes gzip output large. */
  randomBodies?: boolean;
  stages?: readonly ('RequestReceived' | 'ResponseComplete')[];
};

export type AuditLogTruth = { bytes: number; records: number; requests: number };

const STAGES = ['RequestReceived', 'ResponseComplete'] as const;

/** One request's stage records as NDJSON lines. */
export function requestRecords(shape: AuditLogShape, index: number): string[] {
  // A day no other browser test stores events on: these files hold up to 100,000 records, which would
  // crowd another test's users out of the overview's panels for the same hours.
  const start = shape.start?.getTime() ?? Date.parse('2026-11-26T08:00:00Z');
  const received = new Date(start + index * 37).toISOString();
  const body = shape.randomBodies
    ? randomBytes(Math.ceil((shape.bodyBytes * 3) / 4)).toString('base64')
    : `payload-${index}-`.padEnd(shape.bodyBytes, 'x');
  const namespace = `team-${index % 17}`;
  const name = `settings-${index % 101}`;
  const common = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `${shape.prefix}-${index.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    requestURI: `/api/v1/namespaces/${namespace}/configmaps/${name}`,
    verb: 'update',
    user: { username: `deployer-${index % 23}@example.com`, groups: ['system:authenticated'] },
    sourceIPs: [`10.1.${(index >> 8) % 256}.${index % 256}`],
    userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
    objectRef: { resource: 'configmaps', namespace, name, apiVersion: 'v1' },
    requestReceivedTimestamp: received,
    requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace }, data: { 'app.yaml': body } },
  };
  return (shape.stages ?? STAGES).map((stage) =>
    JSON.stringify(
      stage === 'RequestReceived'
        ? { ...common, stage, stageTimestamp: received }
        : {
            ...common,
            stage,
            stageTimestamp: new Date(Date.parse(received) + 4).toISOString(),
            responseStatus: { metadata: {}, code: 200 },
            responseObject: common.requestObject,
            annotations: {
              'authorization.k8s.io/decision': 'allow',
              'authorization.k8s.io/reason':
                'RBAC: allowed by ClusterRoleBinding "deployers" of ClusterRole "edit" to Group "system:authenticated"',
            },
          },
    ),
  );
}

/** Writes the log as NDJSON without holding it in memory; returns what a correct ingest must store. */
export async function writeAuditLog(file: string, shape: AuditLogShape): Promise<AuditLogTruth> {
  const out = createWriteStream(file);
  let bytes = 0;
  let records = 0;
  for (let index = 0; index < shape.requests; index++) {
    const lines = requestRecords(shape, index);
    records += lines.length;
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, records, requests: shape.requests };
}
