// The events explorer's query: which kind of event, field filters, time range, order and
// cursor. The same object drives the page, `GET /api/v1/events` and the export.
import { z } from 'zod';
import {
  filterText,
  filterTime,
  readOne,
  readUtcTime,
  REVERSED_RANGE_MESSAGE,
  type SearchParams,
} from '../search-params';
import { isRequestStage, REQUEST_STAGES } from './request-stages';

export const eventKinds = ['audit', 'file'] as const;
export type EventKind = (typeof eventKinds)[number];
export const outcomes = ['allowed', 'forbidden', 'other'] as const;
export type Outcome = (typeof outcomes)[number];

/** Filterable fields per kind: URL name → label. A value ending in `*` matches as a prefix, `*` inside as a wildcard. */
export const auditFilterFields = {
  user: 'User',
  sourceIp: 'Source IP',
  userAgent: 'User agent',
  verb: 'Verb',
  resource: 'Resource',
  subresource: 'Subresource',
  namespace: 'Namespace',
  name: 'Object name',
  pod: 'Pod',
  node: 'Node',
  cluster: 'Cluster',
  group: 'Group',
  responseCode: 'Response code',
  decision: 'Decision',
  outcome: 'Outcome',
  requestUri: 'Request URI',
  auditId: 'Audit ID',
  stage: 'Stage',
  /** The RBAC binding and role the request was allowed by (its reason, parsed at ingest). */
  binding: 'RBAC binding',
  role: 'RBAC role',
} as const;
export const fileFilterFields = {
  pod: 'Pod',
  namespace: 'Namespace',
  path: 'Path',
  action: 'Action',
  process: 'Process',
  processUser: 'Process user',
  container: 'Container ID',
  cluster: 'Cluster',
} as const;
export type AuditFilterField = keyof typeof auditFilterFields;
export type FileFilterField = keyof typeof fileFilterFields;
export type EventFilterField = AuditFilterField | FileFilterField;

const value = filterText();
const isoTime = filterTime();
export const eventPageSizes = [25, 50, 100, 200] as const;

/** The largest id a bigint column holds: PostgreSQL refuses to compare with a larger one. */
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;
const cursorTime = z.iso.datetime();
const CURSOR_MESSAGE = 'cursor must be <ISO time>_<id> as returned by the last page';

/** `<ISO time>_<id>`: the last row seen; the next page starts after it in the chosen order. */
const cursorSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_\d{1,19}$/, { message: CURSOR_MESSAGE, abort: true })
  // The shape alone lets through a month 13 or an id past bigint, which the query would fail on.
  .refine((cursor) => {
    const at = cursor.lastIndexOf('_');
    return cursorTime.safeParse(cursor.slice(0, at)).success && BigInt(cursor.slice(at + 1)) <= MAX_EVENT_ID;
  }, CURSOR_MESSAGE)
  .transform((cursor) => {
    const at = cursor.lastIndexOf('_');
    return { time: cursor.slice(0, at), id: cursor.slice(at + 1) };
  });

const fieldsSchema = z.strictObject(
  Object.fromEntries(
    [...new Set([...Object.keys(auditFilterFields), ...Object.keys(fileFilterFields)])].map((field) => [
      field,
      value.optional(),
    ]),
  ) as Record<EventFilterField, z.ZodOptional<typeof value>>,
);

export const eventQuerySchema = z
  .object({
    kind: z.enum(eventKinds).default('audit'),
    filter: fieldsSchema
      .refine((filter) => !filter.outcome || (outcomes as readonly string[]).includes(filter.outcome), {
        message: 'outcome must be allowed, forbidden or other',
        path: ['outcome'],
      })
      .refine((filter) => !filter.responseCode || /^\d{3}$/.test(filter.responseCode), {
        message: 'responseCode must be a three-digit HTTP status',
        path: ['responseCode'],
      })
      .refine((filter) => !filter.stage || isRequestStage(filter.stage), {
        message: `stage must be one of ${REQUEST_STAGES.join(', ')}`,
        path: ['stage'],
      }),
    from: isoTime.optional(),
    to: isoTime.optional(),
    order: z.enum(['desc', 'asc']).default('desc'),
    cursor: cursorSchema.optional(),
    pageSize: z.coerce
      .number()
      .int()
      .refine((size) => (eventPageSizes as readonly number[]).includes(size), 'pageSize must be 25, 50, 100 or 200')
      .default(50),
  })
  .refine((query) => !query.from || !query.to || new Date(query.from) < new Date(query.to), {
    message: REVERSED_RANGE_MESSAGE,
    path: ['from'],
  })
  .superRefine((query, context) => {
    const allowed: Record<string, string> = query.kind === 'audit' ? auditFilterFields : fileFilterFields;
    for (const [field, given] of Object.entries(query.filter))
      if (given !== undefined && !(field in allowed))
        context.addIssue({ code: 'custom', path: ['filter', field], message: `not a field of ${query.kind} events` });
  });
export type EventQuery = z.infer<typeof eventQuerySchema>;
export type EventFilter = EventQuery['filter'];

const ALL_FIELDS = Object.keys(fieldsSchema.shape) as EventFilterField[];

function readEventSearchValues(params: SearchParams) {
  return {
    kind: readOne(params, 'kind'),
    filter: Object.fromEntries(ALL_FIELDS.map((field) => [field, readOne(params, field)])),
    from: readUtcTime(readOne(params, 'from')),
    to: readUtcTime(readOne(params, 'to')),
    order: readOne(params, 'order'),
    cursor: readOne(params, 'cursor'),
    pageSize: readOne(params, 'pageSize'),
  };
}

/** Reads `/events?kind=audit&user=alice&verb=get&from=…` (datetime-local read as UTC). */
export function parseEventSearchParams(params: SearchParams) {
  return eventQuerySchema.safeParse(readEventSearchValues(params));
}

/** The URL as typed, unchecked: what a refused search shows back in its form. */
export function readTypedEventSearch(params: SearchParams): EventQueryInput & { kind: EventKind } {
  const values = readEventSearchValues(params);
  return {
    kind: values.kind === 'file' ? 'file' : 'audit',
    filter: values.filter as EventQueryInput['filter'],
    from: values.from,
    to: values.to,
    order: values.order === 'asc' ? 'asc' : 'desc',
    pageSize: (eventPageSizes as readonly number[]).includes(Number(values.pageSize)) ? Number(values.pageSize) : 50,
  };
}

/** The explorer form's labels by URL name, for messages in the analyst's words. */
export function eventFormLabels(kind: EventKind): Record<string, string> {
  const fields: Record<string, string> = kind === 'audit' ? auditFilterFields : fileFilterFields;
  return {
    ...fields,
    ...Object.fromEntries(Object.entries(fields).map(([name, label]) => [`filter.${name}`, label])),
    from: 'From (UTC)',
    to: 'To (UTC)',
  };
}

export type EventQueryInput = {
  kind?: EventKind;
  filter?: Partial<Record<EventFilterField, string>>;
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
  cursor?: string;
  pageSize?: number;
};

/** The URL form of an explorer query, the inverse of parseEventSearchParams (defaults left out). */
export function formatEventSearchParams(query: EventQueryInput): URLSearchParams {
  const params = new URLSearchParams();
  if (query.kind && query.kind !== 'audit') params.set('kind', query.kind);
  for (const field of ALL_FIELDS) {
    const given = query.filter?.[field];
    if (given) params.set(field, given);
  }
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.order && query.order !== 'desc') params.set('order', query.order);
  if (query.pageSize && query.pageSize !== 50) params.set('pageSize', String(query.pageSize));
  if (query.cursor) params.set('cursor', query.cursor);
  return params;
}

/** The /events URL of a query. */
export function formatEventsHref(query: EventQueryInput): string {
  const params = formatEventSearchParams(query).toString();
  return params ? `/events?${params}` : '/events';
}

export const eventIdSchema = z
  .string()
  .regex(/^\d{1,19}$/, { message: 'an event id is a number', abort: true })
  .refine((id) => BigInt(id) <= MAX_EVENT_ID, `an event id is at most ${MAX_EVENT_ID}`);
