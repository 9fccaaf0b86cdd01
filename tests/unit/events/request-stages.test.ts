// One row per request: the stages of one request merge to the same row in any order.
import { describe, expect, it } from 'vitest';
import { mergeRequestStages, stagesOf } from '../../../lib/events/request-stages';
import { mergeChunkRequests, originalsJson, type StagedRecord } from '../../../lib/ingest/merge-requests';
import type { NormalizedAuditEvent } from '../../../lib/ingest/types';
import { expectedAuditFields } from '../../fixtures/ingest/audit-events';

const base: NormalizedAuditEvent = {
  ...expectedAuditFields,
  cluster: null,
  original: null,
  completedAt: null,
};

/** The records kube-apiserver logs for one create: RequestReceived knows no response and no generated name. */
const received: NormalizedAuditEvent = {
  ...base,
  verb: 'create',
  name: null,
  responseCode: null,
  decision: null,
  reason: null,
  receivedAt: '2026-03-14T09:26:53.589793Z',
  originalText: '{"stage":"RequestReceived"}',
};
const completed: NormalizedAuditEvent = {
  ...base,
  verb: 'create',
  name: 'db-credentials-x7k2p',
  responseCode: 201,
  completedAt: '2026-03-14T09:26:53.594210Z',
  originalText: '{"stage":"ResponseComplete"}',
};
const started: NormalizedAuditEvent = { ...base, verb: 'create', startedAt: '2026-03-14T09:26:53.590001Z', name: null };

describe('mergeRequestStages', () => {
  it("keeps every stage's time and the later stage's values, in either order", () => {
    const forward = mergeRequestStages(received, completed);
    const backward = mergeRequestStages(completed, received);
    expect(forward).toEqual(backward);
    expect(stagesOf(forward)).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(forward).toMatchObject({
      name: 'db-credentials-x7k2p',
      responseCode: 201,
      decision: 'allow',
      receivedAt: received.receivedAt,
      completedAt: completed.completedAt,
    });
  });

  it('is the same whatever the order of three stages', () => {
    const orders = [
      [received, started, completed],
      [completed, started, received],
      [started, completed, received],
      [completed, received, started],
    ];
    const rows = orders.map((order) => order.reduce((merged, record) => mergeRequestStages(merged, record)));
    for (const row of rows) expect(row).toEqual(rows[0]);
    expect(stagesOf(rows[0]!)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
  });
});

const staged = (event: NormalizedAuditEvent, line: number, cluster = 'prod'): StagedRecord => ({
  event,
  line,
  cluster,
  sourceFormat: 'k8s-audit',
});

describe('mergeChunkRequests', () => {
  it('makes one request of the stages of one, per cluster, and counts repeats of a stage as nothing new', () => {
    const { requests, repeats } = mergeChunkRequests([
      staged(received, 1),
      staged(completed, 2),
      staged(completed, 3),
      staged(received, 4, 'staging'),
    ]);
    expect(repeats).toBe(1);
    expect(requests.map((request) => [request.cluster, stagesOf(request.row)])).toEqual([
      ['prod', ['RequestReceived', 'ResponseComplete']],
      ['staging', ['RequestReceived']],
    ]);
    expect(requests[0]!.lines).toEqual({ RequestReceived: 1, ResponseComplete: 2 });
    expect(JSON.parse(originalsJson(requests[0]!.originals))).toEqual({
      RequestReceived: { stage: 'RequestReceived' },
      ResponseComplete: { stage: 'ResponseComplete' },
    });
  });

  it('keeps requests whose received times differ apart, to the microsecond', () => {
    const later = { ...completed, time: '2026-03-14T09:26:53.589794Z' };
    expect(mergeChunkRequests([staged(completed, 1), staged(later, 2)]).requests).toHaveLength(2);
  });
});
