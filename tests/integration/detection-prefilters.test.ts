// Each rule's SQL prefilter decides what leaves the database; its matches() decides what counts. A
// prefilter that drops an event matches() keeps would lose alerts silently, so over every combination
// of the values the predicates turn on (system principals and look-alikes, loopback anywhere in
// sourceIPs, no username, helm release names, verbs, resources) it must keep a superset.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ruleDefinitions } from '../../lib/detections/registry';
import { readAuditCandidates, toDetectionEvent, DETECTION_AUDIT_COLUMNS } from '../../lib/engine/read-detection-input';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import type { DetectionAuditEvent } from '../../lib/detections/types';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';

const database = await createScratchDatabase(inject('serverUrl'), 'prefilters');
await applyAllMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const USERNAMES = [
  null,
  'alice@example.com',
  "o'brien",
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:serviceaccount:web:frontend',
  'system:serviceaccount:flux-system:helm-controller',
  'system:serviceaccount%',
  'system:node:ip-10-0-2-50.ec2.internal',
  'system:kube-controller-manager',
  'system:anonymous',
  'system:foo:serviceaccounts-are-here',
  'eks:addon-manager',
  'gke-node',
  'azure-operator',
  'masterclient',
  'aksService',
  'aksservice',
  'robot@project.iam.gserviceaccount.com',
  '.iam.gserviceaccount.com-prefix',
];
const SOURCE_IPS = [[], ['10.0.3.7'], ['127.0.0.1'], ['::1'], ['10.0.3.7', '127.0.0.1'], ['127.0.0.1', '10.0.3.7']];
const VERBS = ['get', 'list', 'watch', 'create'];
const TARGETS = [
  { resource: 'secrets', name: 'db-credentials' },
  { resource: 'secrets', name: null },
  { resource: 'secrets', name: 'sh.helm.release.v1.web.v3' },
  { resource: 'configmaps', name: 'settings' },
];

let all: DetectionAuditEvent[] = [];
const range = { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') };

beforeAll(async () => {
  const records = [];
  let second = 0;
  for (const username of USERNAMES)
    for (const sourceIPs of SOURCE_IPS)
      for (const verb of VERBS)
        for (const { resource, name } of TARGETS) {
          const time = new Date(range.from.getTime() + 3_600_000 + second++ * 1000).toISOString();
          records.push(
            nativeEvent({
              verb,
              user: username === null ? {} : { username, groups: ['system:authenticated'] },
              sourceIPs,
              objectRef: { resource, namespace: 'payments', ...(name === null ? {} : { name }), apiVersion: 'v1' },
              requestReceivedTimestamp: time,
              stageTimestamp: time,
            }),
          );
        }
  const summary = await ingestStream(
    bytesOf(ndjson(records), 65536),
    { source: 'cli', format: 'k8s-audit', cluster: 'prefilters', fileName: 'combinations.ndjson' },
    { pool },
  );
  expect(summary).toMatchObject({ status: 'completed', rejected: 0, requests: records.length });
  const stored = await pool.query(`SELECT ${DETECTION_AUDIT_COLUMNS} FROM audit_events e ORDER BY e.time, e.id`);
  all = stored.rows.map(toDetectionEvent);
  expect(new Set(all.map((event) => event.username)).size).toBe(USERNAMES.length);
});

describe('the rules’ SQL prefilters', () => {
  it.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))(
    '%s keeps every event its predicate matches',
    async (_id, rule) => {
      const candidates = await readAuditCandidates(pool, rule, range);
      const kept = new Set(candidates.map((event) => event.id));
      const matched = all.filter((event) => rule.matches(event, rule.defaultParameters));
      const dropped = matched.filter((event) => !kept.has(event.id));
      expect(
        dropped.map(({ username, sourceIps, verb, resource, name }) => ({ username, sourceIps, verb, resource, name })),
      ).toEqual([]);
      // …and narrows: loopback reads (the control plane's own) and system principals stay in the database.
      if (rule.kind === 'windowed') {
        expect(matched.length).toBeGreaterThan(0);
        const unmatched = candidates.filter((event) => !rule.matches(event, rule.defaultParameters));
        // Rule 2 judges the last source IP (the one a client cannot forge), rule 1 every one.
        const loopback = (event: DetectionAuditEvent) =>
          rule.id === 'rapid-secret-get-multiple-objects'
            ? event.sourceIp === '127.0.0.1' || event.sourceIp === '::1'
            : event.sourceIps.includes('127.0.0.1');
        expect(unmatched.filter(loopback)).toEqual([]);
        // Rule 2 leaves its excluded users and helm release names to the predicate.
        if (rule.id !== 'rapid-secret-get-multiple-objects') expect(unmatched).toEqual([]);
      }
    },
  );
});
