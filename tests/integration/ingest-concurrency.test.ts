// Overlapping ingests at once: eight uploads of the same requests (whole, reversed, shuffled, halves,
// each with unique requests of its own, stages split between files) in ten rounds. Every batch
// completes and every distinct request is stored once, its stages merged, whatever the interleaving.
import { afterAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { decodeOriginals } from '../../lib/events/stored-originals';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { bothStages, bytesOf, nativeEvent, ndjson, type NativeEvent } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';
import { seededRandom } from '../support/random';

const database = await createScratchDatabase(inject('serverUrl'), 'concurrent');
await applyAllMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 12 });
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const ROUNDS = 10;
const SHARED_REQUESTS = 1_000;

function requestsOf(round: number, count: number, label: string): NativeEvent[] {
  const start = Date.parse('2026-11-18T08:00:00Z') + round * 3_600_000;
  return Array.from({ length: count }, (_, index) =>
    nativeEvent({
      auditID: `${label}-${round}-${index}`,
      requestReceivedTimestamp: new Date(start + index * 997).toISOString().replace('Z', '123Z'),
      objectRef: { resource: 'secrets', namespace: 'payments', name: `s-${index % 40}`, apiVersion: 'v1' },
    }),
  );
}

describe('eight overlapping uploads at once', () => {
  it(`store exactly the distinct requests, stages merged, every batch completed (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = seededRandom(round + 1);
      const cluster = `concurrent-${round}`;
      const shared = requestsOf(round, SHARED_REQUESTS, 'shared').flatMap((event) => bothStages(event));
      const half = Math.floor(shared.length / 2);
      const views = [
        shared,
        [...shared].reverse(),
        random.shuffle(shared),
        random.shuffle(shared),
        shared.slice(0, half + 200),
        shared.slice(half - 200).reverse(),
        shared.filter((record) => record.stage === 'ResponseComplete'),
        random.shuffle(shared.filter((record) => record.stage === 'RequestReceived')),
      ];
      const files = views.map((records, index) => [...records, ...requestsOf(round, 50, `own${index}`)]);
      const summaries = await Promise.all(
        files.map((records, index) =>
          ingestStream(
            bytesOf(ndjson(records), 16 * 1024),
            { source: 'cli', format: 'k8s-audit', cluster, fileName: `view-${index}.ndjson` },
            // Small chunks: many transactions per batch, so the batches interleave row by row.
            { pool, chunkSize: 250 },
          ),
        ),
      );
      for (const summary of summaries)
        expect(summary, `round ${round}`).toMatchObject({ status: 'completed', rejected: 0 });
      const stored = await pool.query<{ requests: number; distinct_ids: number; complete: number; received: number }>(
        `SELECT count(*)::int AS requests, count(DISTINCT audit_id)::int AS distinct_ids,
                count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS complete,
                count(*) FILTER (WHERE received_at IS NOT NULL)::int AS received
           FROM audit_events WHERE cluster = $1`,
        [cluster],
      );
      const distinct = SHARED_REQUESTS + 8 * 50;
      expect(stored.rows[0], `round ${round}`).toEqual({
        requests: distinct,
        distinct_ids: distinct,
        complete: distinct,
        received: SHARED_REQUESTS,
      });
      // Each shared request's originals hold the record of both stages, whichever uploads brought them.
      const originals = await pool.query<{ audit_id: string; originals: Buffer }>(
        `SELECT e.audit_id, o.originals FROM audit_events e
           JOIN audit_event_originals o ON o.event_id = e.id AND o.time = e.time AND o.cluster = e.cluster
          WHERE e.cluster = $1 AND e.audit_id LIKE 'shared-%'`,
        [cluster],
      );
      expect(originals.rows, `round ${round}`).toHaveLength(SHARED_REQUESTS);
      for (const row of originals.rows) {
        const stages = JSON.parse(decodeOriginals(row.originals)) as Record<string, NativeEvent>;
        expect(Object.keys(stages).sort(), `${row.audit_id} in round ${round}`).toEqual([
          'RequestReceived',
          'ResponseComplete',
        ]);
        expect(stages.ResponseComplete!.auditID).toBe(row.audit_id);
      }
      // Each batch says how many requests it added; together they added each one once.
      expect(
        summaries.reduce((total, summary) => total + summary.requests, 0),
        `round ${round}`,
      ).toBe(distinct);
    }
  }, 600_000);
});
