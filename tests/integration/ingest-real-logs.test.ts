// The shapes real public logs come in, written here in their shape (not copied): a 2017 v1alpha1 log with
// only the legacy `timestamp`, a file of audit events every one of which is refused, a GKE export that
// spans clusters. Each through the pipeline and the REST batch view the Uploads page reads.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { GET as getBatch } from '../../app/api/v1/uploads/[batchId]/route';
import { POST as postUpload } from '../../app/api/v1/uploads/route';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { ingestStream, isIngestFailure } from '../../lib/ingest/ingest-stream';
import { bytesOf, ndjson } from '../support/audit-events';
import { bearer, createTestToken } from '../support/credentials';

expect(process.env.DATABASE_URL).toBe(inject('databaseUrl'));
const pool = getPool();
const token = await createTestToken(['ingest', 'read']);
afterAll(async () => {
  await pool.end();
  await getDb().$disconnect();
});

/** Kubernetes 1.7's audit.k8s.io/v1alpha1: `timestamp` is the only time, each stage logged at its own. */
function v1alpha1Request(index: number) {
  const auditID = randomUUID();
  const received = new Date(Date.UTC(2017, 8, 6, 9, 46, 22) + index * 1000);
  const common = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1alpha1',
    metadata: { creationTimestamp: null },
    level: 'Metadata',
    auditID,
    requestURI: `/api/v1/namespaces/kube-system/secrets/token-${index}`,
    verb: 'get',
    user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] },
    sourceIPs: ['10.128.0.2'],
    objectRef: { resource: 'secrets', namespace: 'kube-system', name: `token-${index}`, apiVersion: 'v1' },
  };
  return [
    { ...common, stage: 'RequestReceived', timestamp: received.toISOString() },
    {
      ...common,
      stage: 'ResponseComplete',
      timestamp: received.toISOString(),
      responseStatus: { metadata: {}, code: 200 },
    },
  ];
}

describe('real log shapes', () => {
  it('reads a v1alpha1 log whose events carry only the legacy timestamp, one request per auditID', async () => {
    const cluster = `legacy-${randomUUID().slice(0, 8)}`;
    const records = Array.from({ length: 18 }, (_, index) => v1alpha1Request(index)).flat();
    expect(records).toHaveLength(36);
    const summary = await ingestStream(bytesOf(ndjson(records)), { source: 'cli', format: 'auto', cluster }, { pool });
    expect(summary).toMatchObject({ status: 'completed', format: 'k8s-audit', received: 36, stored: 36, requests: 18 });
    const rows = await pool.query(
      `SELECT min(time) AS first, count(*)::int AS n FROM audit_events WHERE cluster = $1`,
      [cluster],
    );
    expect(rows.rows[0]).toEqual({ first: new Date('2017-09-06T09:46:22Z'), n: 18 });
  });

  it('reports a file of audit events every one of which is refused as that format, and keeps its figures', async () => {
    const events = Array.from({ length: 37 }, () => ({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      auditID: randomUUID(),
      stage: 'ResponseComplete',
      verb: 'get',
      objectRef: { resource: 'pods' },
    }));
    const cluster = `refused-${randomUUID().slice(0, 8)}`;
    const response = await postUpload(
      new Request(`http://vigil.test/api/v1/uploads?cluster=${cluster}&fileName=no-times.ndjson`, {
        method: 'POST',
        body: ndjson(events),
        headers: bearer(token),
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(422);
    const answer = await response.json();
    expect(answer.error).toMatch(
      /^every record was rejected: all 37 records are k8s-audit records Vigil could not use/,
    );
    expect(answer.error).toContain('line 1: no event time');
    expect(answer).toMatchObject({ status: 'failed', format: 'k8s-audit', received: 37, rejected: 37, stored: 0 });
    expect(answer.errors).toHaveLength(37);

    // What the Uploads page and GET /api/v1/uploads/:id show for the failed batch.
    const followUp = await getBatch(new Request('http://vigil.test/', { headers: bearer(token) }), {
      params: Promise.resolve({ batchId: answer.batchId }),
    });
    expect(await followUp.json()).toMatchObject({
      status: 'failed',
      format: 'k8s-audit',
      received: 37,
      rejected: 37,
      failureReason: answer.error,
      errors: expect.arrayContaining([{ line: 37, reason: expect.stringMatching(/no event time/) }]),
    });
  });

  it('names every cluster a GKE export stored its events under', async () => {
    const entry = (clusterName: string, index: number) => ({
      insertId: randomUUID(),
      logName: 'projects/shop/logs/cloudaudit.googleapis.com%2Factivity',
      timestamp: new Date(Date.UTC(2026, 10, 20, 8, 0, index)).toISOString(),
      resource: {
        type: 'k8s_cluster',
        labels: { cluster_name: clusterName, location: 'europe-west1', project_id: 'shop' },
      },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        serviceName: 'k8s.io',
        methodName: 'io.k8s.core.v1.secrets.get',
        resourceName: `core/v1/namespaces/payments/secrets/key-${index}`,
        authenticationInfo: { principalEmail: 'ci@shop.iam.gserviceaccount.com' },
        requestMetadata: { callerIp: '10.1.2.3', callerSuppliedUserAgent: 'kubectl/v1.30.0' },
        status: { code: 0 },
      },
    });
    const suffix = randomUUID().slice(0, 6);
    const clusters = [`gke-eu-${suffix}`, `gke-us-${suffix}`];
    const summary = await ingestStream(
      bytesOf(ndjson([entry(clusters[0]!, 1), entry(clusters[1]!, 2), entry(clusters[0]!, 3)])),
      { source: 'cli', format: 'auto' },
      { pool },
    );
    expect(summary).toMatchObject({ status: 'completed', format: 'gke-cloud-audit', stored: 3 });
    expect(summary.clusters).toEqual([...clusters].sort());
    expect(summary.cluster).toBe([...clusters].sort().join(', '));
    const stored = await pool.query(
      `SELECT cluster, count(*)::int AS n FROM audit_events WHERE cluster = ANY($1) GROUP BY 1 ORDER BY 1`,
      [clusters],
    );
    expect(stored.rows).toEqual([
      { cluster: clusters[0], n: 2 },
      { cluster: clusters[1], n: 1 },
    ]);
  });

  it('says an input is not audit data when no record is an audit event at all', async () => {
    const failure = await ingestStream(
      bytesOf(ndjson([{ kind: 0 }])),
      { source: 'cli', format: 'auto' },
      { pool },
    ).catch((error: unknown) => error);
    expect(isIngestFailure(failure) && failure.message).toMatch(/^none of the first 1 records is a supported format/);
  });
});
