// Incidents end to end over real PostgreSQL: a multi-stage theft (R4 → R1 → R2 by one pod's token), a
// same-named decoy pod in another namespace and an unrelated user's enumeration (R3), through ingest and
// detection, grouped into exactly the expected incidents; re-running changes nothing; a late event joins
// the right incident. Also: the RBAC reason stored normalized at ingest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetection } from '../../lib/engine/run-detection';
import { readEntityProfile } from '../../lib/entities/read-entity';
import { parseEventSearchParams } from '../../lib/events/schemas';
import { searchEvents } from '../../lib/events/search-events';
import { readIncident } from '../../lib/incidents/read-incident';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { bytesOf, ndjson } from '../support/audit-events';
import { auditRequest, defendFileEvent } from '../support/investigation-events';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('incidents');
const { pool, db } = database;
const CLUSTER = 'prod-incidents';
const GAP = { gapHours: 24 };

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
});
afterAll(async () => {
  await database.close();
});

const at = (clock: string) => `2026-11-21T${clock}.000000Z`;
const SA = 'system:serviceaccount:payments:debug';
const DECOY_SA = 'system:serviceaccount:staging:debug';
const POD = 'debug-7f9c';
const REASON =
  'RBAC: allowed by RoleBinding "debug-secrets/payments" of Role "secret-reader" to ServiceAccount "debug/payments"';

async function upload(records: unknown[], format: 'k8s-audit' | 'file-events' = 'k8s-audit') {
  const summary = await ingestStream(
    bytesOf(ndjson(records)),
    { source: 'upload', format, cluster: CLUSTER },
    { pool },
  );
  expect(summary).toMatchObject({ status: 'completed', rejected: 0 });
}

async function detectAndGroup() {
  await runDetection(pool, { from: new Date('2026-11-21T00:00:00Z'), to: new Date('2026-11-22T00:00:00Z') });
  return regroupIncidents(pool, GAP);
}

const podRead = (clock: string, name: string, extra: Record<string, unknown> = {}) => {
  const event = auditRequest({
    time: at(clock),
    user: SA,
    podName: POD,
    namespace: 'payments',
    name,
    sourceIPs: ['10.0.3.7'],
  });
  return {
    ...event,
    annotations: { ...(event.annotations as object), 'authorization.k8s.io/reason': REASON },
    ...extra,
  };
};

type IncidentRow = { id: string; title: string; severity: string; alert_count: number; rules: string[] };

async function incidents(): Promise<IncidentRow[]> {
  const result = await pool.query<IncidentRow>(
    `SELECT i.id, i.title, i.severity, i.alert_count,
            array_agg(a.rule_id ORDER BY a.first_event_at, a.rule_id) AS rules
       FROM incidents i JOIN incident_alerts ia ON ia.incident_id = i.id AND NOT ia.removed
       JOIN alerts a ON a.id = ia.alert_id
      WHERE i.merged_into IS NULL
      GROUP BY i.id ORDER BY i.first_event_at, i.id`,
  );
  return result.rows;
}

describe('incidents over the multi-stage scenario', () => {
  it('groups the theft, the decoy and the unrelated enumeration into exactly three incidents, stable on re-runs', async () => {
    await upload(
      [
        defendFileEvent({ time: at('10:00:00'), podName: POD, namespace: 'payments' }),
        defendFileEvent({ time: at('10:00:20'), podName: POD, namespace: 'staging' }),
      ],
      'file-events',
    );
    await upload([
      podRead('10:00:10', 'stripe-api-key'),
      podRead('10:01:00', 'db-root'),
      podRead('10:02:00', 'registry-credentials'),
      auditRequest({
        time: at('10:00:30'),
        user: DECOY_SA,
        podName: POD,
        resource: 'pods',
        namespace: 'staging',
        name: null,
        verb: 'list',
        sourceIPs: ['10.0.9.9'],
      }),
      ...Array.from({ length: 15 }, (_, index) =>
        auditRequest({
          time: at(`11:${String(10 + index).padStart(2, '0')}:00`),
          user: 'bob@example.com',
          namespace: 'finance',
          name: `secret-${index}`,
          sourceIPs: ['198.51.100.4'],
        }),
      ),
    ]);

    const stored = await pool.query(
      `SELECT rbac_binding_kind, rbac_binding_name, rbac_binding_namespace, rbac_role_kind, rbac_role_name,
              rbac_subject_kind, rbac_subject_name, rbac_subject_namespace, reason_parsed
         FROM audit_events WHERE cluster = $1 AND name = 'db-root'`,
      [CLUSTER],
    );
    expect(stored.rows).toEqual([
      {
        rbac_binding_kind: 'RoleBinding',
        rbac_binding_name: 'debug-secrets',
        rbac_binding_namespace: 'payments',
        rbac_role_kind: 'Role',
        rbac_role_name: 'secret-reader',
        rbac_subject_kind: 'ServiceAccount',
        rbac_subject_name: 'debug',
        rbac_subject_namespace: 'payments',
        reason_parsed: true,
      },
    ]);

    const profile = await readEntityProfile(pool, { kind: 'user', name: SA }, {});
    expect(profile.bindings).toEqual({
      rows: [
        {
          bindingKind: 'RoleBinding',
          bindingName: 'debug-secrets',
          bindingNamespace: 'payments',
          roleKind: 'Role',
          roleName: 'secret-reader',
          count: 3,
          lastSeen: '2026-11-21T10:02:00.000Z',
        },
      ],
      unparsed: 0,
    });

    const byBinding = parseEventSearchParams(
      new URLSearchParams(
        'kind=audit&binding=debug-secrets&role=secret-reader&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z',
      ),
    );
    expect(byBinding.success).toBe(true);
    const found = await searchEvents(pool, byBinding.data!);
    expect(found.rows.map((row) => ('name' in row ? row.name : null)).sort()).toEqual([
      'db-root',
      'registry-credentials',
      'stripe-api-key',
    ]);

    const first = await detectAndGroup();
    expect(first.created).toBe(3);
    const grouped = await incidents();
    expect(grouped.map((incident) => [incident.title, incident.rules])).toEqual([
      [
        `pod payments/${POD} · ${SA}`,
        // R1 and R2 open on the same request: in order of time, then rule.
        ['sa-token-access-then-api-request', 'rapid-secret-get-multiple-objects', 'secret-read-by-node-or-pod-sa'],
      ],
      [`pod staging/${POD} · ${DECOY_SA}`, ['sa-token-access-then-api-request']],
      ['bob@example.com', ['rapid-secret-get-multiple-objects', 'secret-enumeration-by-user']],
    ]);
    expect(grouped[0]!.severity).toBe('high');
    const reasons = await pool.query<{ reason: string | null }>(
      `SELECT reason FROM incident_alerts WHERE incident_id = $1 ORDER BY added_at, alert_id`,
      [grouped[0]!.id],
    );
    expect(reasons.rows.map((row) => row.reason).sort()).toEqual([
      `joined because shared pod payments/${POD}`,
      `joined because shared pod payments/${POD}`,
      null,
    ]);

    const story = await readIncident(pool, grouped[0]!.id);
    expect(story!.bindings.map((binding) => [binding.bindingKind, binding.bindingName, binding.requests])).toEqual([
      ['RoleBinding', 'debug-secrets', 3],
    ]);
    expect(story!.containment.map((hint) => hint.kind)).toEqual([
      'pod',
      'binding',
      'service-account',
      'secret',
      'secret',
      'secret',
    ]);

    const historyBefore = await pool.query(`SELECT count(*)::int AS n FROM incident_history`);
    const again = await detectAndGroup();
    expect(again).toMatchObject({ created: 0, changed: 0, merged: 0 });
    expect(await incidents()).toEqual(grouped);
    const historyAfter = await pool.query(`SELECT count(*)::int AS n FROM incident_history`);
    expect(historyAfter.rows[0].n).toBe(historyBefore.rows[0].n);

    // A late burst by the same pod's token, an hour and a half on: a new R2 alert, in the theft's incident.
    await upload([podRead('11:40:00', 'a-late-1'), podRead('11:41:00', 'a-late-2'), podRead('11:42:00', 'a-late-3')]);
    const late = await detectAndGroup();
    expect(late.created).toBe(0);
    const after = await incidents();
    expect(after).toHaveLength(3);
    expect(after[0]!.id).toBe(grouped[0]!.id);
    expect(after[0]!.rules.length).toBeGreaterThan(grouped[0]!.rules.length);
    expect(after[0]!.alert_count).toBe(after[0]!.rules.length);
    expect(after.slice(1)).toEqual(grouped.slice(1));
    const added = await pool.query(
      `SELECT count(*)::int AS n FROM incident_history WHERE incident_id = $1 AND kind = 'alert-added'`,
      [grouped[0]!.id],
    );
    // Every member's arrival is in the history: the first three at creation, then the late ones.
    expect(added.rows[0].n).toBe(after[0]!.rules.length);
  });
});
