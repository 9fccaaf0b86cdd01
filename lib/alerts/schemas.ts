import { z } from 'zod';
import {
  filterText,
  filterTime,
  readAll,
  readOne,
  readUtcTime,
  REVERSED_RANGE_MESSAGE,
  type SearchParams,
} from '../search-params';
import { SEVERITIES } from '../vocabulary/severity';

export const alertStatuses = ['open', 'acknowledged', 'closed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];
export const closeReasons = ['true_positive', 'benign_positive', 'false_positive', 'duplicate', 'other'] as const;
export type CloseReason = (typeof closeReasons)[number];
/** The severity filter's choices: every severity, lowest first. */
export const severities = SEVERITIES;

export const alertSortFields = [
  'lastEventAt',
  'firstEventAt',
  'severity',
  'riskScore',
  'eventCount',
  'status',
  'rule',
  'username',
] as const;
export type AlertSortField = (typeof alertSortFields)[number];
export const alertGroupFields = ['rule', 'cluster', 'user', 'sourceIp', 'pod'] as const;
export type AlertGroupField = (typeof alertGroupFields)[number];
export const alertPageSizes = [25, 50, 100] as const;

const text = filterText;
const isoTime = filterTime();

/** What selects alerts: the queue's filters, the REST list and bulk-by-filter all take this. */
export const alertFilterSchema = z
  .strictObject({
    /** Omitted: every status. */
    status: z.enum(alertStatuses).optional(),
    severity: z.array(z.enum(severities)).max(severities.length).optional(),
    rule: z.array(text(100)).max(50).optional(),
    /** The cluster the alert was raised in (its evidence's). */
    cluster: text().optional(),
    /** Alerts whose events overlap [from, to). */
    from: isoTime.optional(),
    to: isoTime.optional(),
    user: text().optional(),
    sourceIp: text().optional(),
    pod: text().optional(),
    namespace: text().optional(),
    /** A user id, or "none" for unassigned. */
    assignee: z.union([z.uuid(), z.literal('none')]).optional(),
    /** Case-insensitive substring over rule, user, IPs, user agent, pod, namespaces and secret names. */
    q: text().optional(),
    /** Alerts detection no longer raises (late events moved their window, settings changed): left out unless asked for. */
    withdrawn: z.enum(['exclude', 'include', 'only']).optional(),
  })
  .refine((filter) => !filter.from || !filter.to || new Date(filter.from) < new Date(filter.to), {
    message: REVERSED_RANGE_MESSAGE,
    path: ['from'],
  });
export type AlertFilter = z.infer<typeof alertFilterSchema>;

export const alertListQuerySchema = z.object({
  filter: alertFilterSchema,
  sort: z.enum(alertSortFields).default('lastEventAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((size) => (alertPageSizes as readonly number[]).includes(size), 'page size must be 25, 50 or 100')
    .default(50),
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

/** One triage change; every part optional, at least one present. Closing needs a reason. */
export const alertChangeSchema = z
  .strictObject({
    status: z.enum(alertStatuses).optional(),
    closeReason: z.enum(closeReasons).optional(),
    /** A user id, or null to unassign. */
    assigneeId: z.uuid().nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'nothing to change: give status, closeReason, assigneeId or note',
  })
  .refine((change) => change.status !== 'closed' || change.closeReason !== undefined, {
    message: 'closing an alert needs a closeReason',
    path: ['closeReason'],
  })
  .refine((change) => change.closeReason === undefined || change.status === undefined || change.status === 'closed', {
    message: 'a closeReason only goes with status "closed"',
    path: ['closeReason'],
  });
export type AlertChange = z.infer<typeof alertChangeSchema>;

/** A bulk change of more alerts than this is refused (409) unless it says `confirm: true`. */
export const BULK_CONFIRM_ABOVE = 25;

export const bulkAlertChangeSchema = z
  .strictObject({
    ids: z.array(z.uuid()).min(1).max(5_000).optional(),
    filter: alertFilterSchema.optional(),
    change: alertChangeSchema,
    /** The caller has seen how many alerts the change reaches (needed above BULK_CONFIRM_ABOVE). */
    confirm: z.boolean().optional(),
  })
  .refine((body) => (body.ids === undefined) !== (body.filter === undefined), {
    message: 'give either ids or filter, not both',
  });

/** A change of every alert in the ticked groups of the grouped queue (alerts without the value cannot be ticked). */
export const alertGroupChangeSchema = z.strictObject({
  filter: alertFilterSchema,
  group: z.enum(alertGroupFields),
  keys: z.array(text(512)).min(1).max(200),
  change: alertChangeSchema,
  confirm: z.boolean().optional(),
});
export type AlertGroupChange = z.infer<typeof alertGroupChangeSchema>;

export const evidencePageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

/** `sort=risk` is the short name of the risk score column's sort. */
const readSort = (sort: string | undefined) => (sort === 'risk' ? 'riskScore' : sort);

/** The queue form's labels by form name and by filter path, for messages in the analyst's words. */
export const ALERT_FORM_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries({
    q: 'Search',
    user: 'User',
    sourceIp: 'Source IP',
    pod: 'Pod',
    namespace: 'Namespace',
    from: 'From (UTC)',
    to: 'To (UTC)',
  }).flatMap(([name, label]) => [
    [name, label],
    [`filter.${name}`, label],
  ]),
);

function readAlertSearchValues(params: SearchParams) {
  const status = readOne(params, 'status') ?? 'open';
  const list = (name: string) => {
    const values = readAll(params, name).flatMap((value) => value.split(','));
    const kept = values.map((value) => value.trim()).filter(Boolean);
    return kept.length ? kept : undefined;
  };
  return {
    filter: {
      status: status === 'all' ? undefined : status,
      severity: list('severity'),
      rule: list('rule'),
      cluster: readOne(params, 'cluster'),
      from: readUtcTime(readOne(params, 'from')),
      to: readUtcTime(readOne(params, 'to')),
      user: readOne(params, 'user'),
      sourceIp: readOne(params, 'sourceIp'),
      pod: readOne(params, 'pod'),
      namespace: readOne(params, 'namespace'),
      assignee: readOne(params, 'assignee'),
      q: readOne(params, 'q'),
      withdrawn: readOne(params, 'withdrawn'),
    },
    sort: readSort(readOne(params, 'sort')),
    dir: readOne(params, 'dir'),
    page: readOne(params, 'page'),
    pageSize: readOne(params, 'pageSize'),
  };
}

/** Reads the queue's URL (`?status=open&severity=high&rule=…`) into a list query; "status=all" means no status filter. */
export function parseAlertSearchParams(params: SearchParams) {
  return alertListQuerySchema.safeParse(readAlertSearchValues(params));
}

/** The URL as typed, unchecked: what a refused filter shows back in the queue's form. */
export function readTypedAlertQuery(params: SearchParams): AlertListQuery {
  const values = readAlertSearchValues(params);
  const status = (alertStatuses as readonly string[]).includes(values.filter.status ?? '')
    ? values.filter.status
    : undefined;
  return {
    filter: { ...values.filter, status } as AlertFilter,
    sort: 'lastEventAt',
    dir: 'desc',
    page: 1,
    pageSize: 50,
  };
}

/** The URL form of a list query, the inverse of parseAlertSearchParams (defaults left out). */
export function formatAlertSearchParams(query: Partial<AlertListQuery> & { filter: AlertFilter }): URLSearchParams {
  const params = new URLSearchParams();
  const { filter } = query;
  params.set('status', filter.status ?? 'all');
  if (filter.severity?.length) params.set('severity', filter.severity.join(','));
  for (const rule of filter.rule ?? []) params.append('rule', rule);
  for (const name of [
    'cluster',
    'from',
    'to',
    'user',
    'sourceIp',
    'pod',
    'namespace',
    'assignee',
    'q',
    'withdrawn',
  ] as const) {
    const value = filter[name];
    if (value) params.set(name, value);
  }
  if (query.sort && query.sort !== 'lastEventAt') params.set('sort', query.sort);
  if (query.dir && query.dir !== 'desc') params.set('dir', query.dir);
  if (query.pageSize && query.pageSize !== 50) params.set('pageSize', String(query.pageSize));
  if (query.page && query.page > 1) params.set('page', String(query.page));
  return params;
}

/** The /alerts URL of a query, with grouping and expanded groups when given. */
export function formatAlertQueueHref(
  query: Partial<AlertListQuery> & { filter: AlertFilter },
  view: { group?: AlertGroupField | null; expand?: string[] } = {},
): string {
  const params = formatAlertSearchParams(query);
  if (view.group) params.set('group', view.group);
  for (const key of view.expand ?? []) params.append('expand', key);
  return `/alerts?${params}`;
}
