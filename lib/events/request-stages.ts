// An API request is logged once per stage it reaches (RequestReceived, ResponseStarted, ResponseComplete,
// Panic); Vigil stores one row per request, each stage's time in its own column. Merging the stages of one
// request gives the same row whatever order they arrive in: a later stage's values win where it has them.
// Pure, so the ingest and its tests share one definition.
import type { AuditEvent } from './audit-event-columns';

export const REQUEST_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type RequestStage = (typeof REQUEST_STAGES)[number];

/** Where each stage's time is kept. */
export const STAGE_TIME_FIELDS = {
  RequestReceived: 'receivedAt',
  ResponseStarted: 'startedAt',
  ResponseComplete: 'completedAt',
  Panic: 'panickedAt',
} as const satisfies Record<RequestStage, keyof AuditEvent>;

export function isRequestStage(value: string): value is RequestStage {
  return (REQUEST_STAGES as readonly string[]).includes(value);
}

type StageTimes<Time> = Record<(typeof STAGE_TIME_FIELDS)[RequestStage], Time | null>;

/** The stages a request was seen at, in the order a request goes through them. */
export function stagesOf(request: StageTimes<unknown>): RequestStage[] {
  return REQUEST_STAGES.filter((stage) => request[STAGE_TIME_FIELDS[stage]] !== null);
}

/** How far the request got: the rank of its furthest stage seen (-1 for none). */
function furthestStage(request: StageTimes<unknown>): number {
  for (let rank = REQUEST_STAGES.length - 1; rank >= 0; rank--)
    if (request[STAGE_TIME_FIELDS[REQUEST_STAGES[rank]!]] !== null) return rank;
  return -1;
}

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0);

/**
 * One request from two records of it. Each stage's time is kept; every other field takes the value of
 * the further stage when it has one (a name or response code that only a later stage carries), else the
 * other's; the event time is the earlier (they agree for audit.k8s.io/v1, which logs it at every stage).
 * Commutative, so any arrival order gives the same row.
 */
export function mergeRequestStages<Row extends StageTimes<unknown> & { time: string | Date }>(a: Row, b: Row): Row {
  const [early, late] = furthestStage(a) <= furthestStage(b) ? [a, b] : [b, a];
  const merged: Record<string, unknown> = { ...early };
  for (const [field, value] of Object.entries(late)) if (!isEmpty(value)) merged[field] = value;
  for (const field of Object.values(STAGE_TIME_FIELDS)) merged[field] = early[field] ?? late[field];
  const earlyTime = new Date(early.time).getTime();
  const lateTime = new Date(late.time).getTime();
  merged.time = lateTime < earlyTime ? late.time : early.time;
  return merged as Row;
}
