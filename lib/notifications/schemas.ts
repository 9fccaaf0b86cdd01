// What notifications take at the boundary: destinations per type, routes, delivery filters, and the
// alert events the alerts module hands over. Kinds, modes and statuses live here, not in the database.
import { z } from 'zod';
import { SEVERITIES } from '../vocabulary/severity';

export const NOTIFICATION_EVENTS = [
  'alert.created',
  'alert.reopened',
  'alert.severity_raised',
  'alert.assigned',
  'alert.closed',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const DESTINATION_TYPES = ['webhook', 'slack', 'teams', 'email', 'pagerduty'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const name = z.string().trim().min(1, 'name: required').max(120, 'name: at most 120 characters');
const httpUrl = z
  .string()
  .trim()
  .max(2048, 'url: at most 2048 characters')
  .refine((text) => URL.canParse(text), 'url: not a URL');
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'headers: not a header name')
  .refine(
    (header) => !['host', 'content-length', 'content-type', 'idempotency-key'].includes(header.toLowerCase()),
    'headers: Vigil sets that header itself',
  )
  .refine((header) => !header.toLowerCase().startsWith('x-vigil-'), 'headers: X-Vigil-* headers are Vigil’s');
const headerValue = z
  .string()
  .max(4096)
  .regex(/^[^\r\n]*$/, 'headers: a value cannot hold a line break');
const email = z.email('not an email address').max(320);

export const webhookDestinationSchema = z.object({
  type: z.literal('webhook'),
  name,
  url: httpUrl,
  secret: z.string().min(16, 'secret: at least 16 characters').max(512),
  headers: z.record(headerName, headerValue).default({}),
});
export const slackDestinationSchema = z.object({ type: z.literal('slack'), name, url: httpUrl });
export const teamsDestinationSchema = z.object({ type: z.literal('teams'), name, url: httpUrl });
export const emailDestinationSchema = z.object({
  type: z.literal('email'),
  name,
  host: z.string().trim().min(1, 'host: required').max(255),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['none', 'starttls', 'tls']),
  username: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
  from: email,
  to: z.array(email).min(1, 'to: at least one address').max(50),
});
export const pagerdutyDestinationSchema = z.object({
  type: z.literal('pagerduty'),
  name,
  routingKey: z.string().trim().min(1, 'routingKey: required').max(128),
  url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
});

export const destinationInputSchema = z.discriminatedUnion('type', [
  webhookDestinationSchema,
  slackDestinationSchema,
  teamsDestinationSchema,
  emailDestinationSchema,
  pagerdutyDestinationSchema,
]);
export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** A change: any of the type's fields (secrets left out stay as they are), and enabled. */
export const destinationChangeSchema = z
  .object({ enabled: z.boolean().optional() })
  .catchall(z.unknown())
  .refine((change) => !('type' in change), 'type: a destination keeps its type');
export type DestinationChange = z.infer<typeof destinationChangeSchema>;

/** Which fields of each type are secret: encrypted at rest, never sent back. */
export const SECRET_FIELDS: Record<DestinationType, readonly string[]> = {
  webhook: ['url', 'secret', 'headers'],
  slack: ['url'],
  teams: ['url'],
  email: ['password'],
  pagerduty: ['routingKey'],
};

export const routeInputSchema = z
  .object({
    destinationId: z.uuid(),
    name: name.optional(),
    events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1, 'events: at least one').max(NOTIFICATION_EVENTS.length),
    minSeverity: z.enum(SEVERITIES).default('low'),
    ruleIds: z.array(z.string().min(1).max(200)).max(100).default([]),
    clusters: z.array(z.string().min(1).max(200)).max(100).default([]),
    namespaces: z.array(z.string().min(1).max(253)).max(100).default([]),
    mode: z.enum(['immediate', 'digest']).default('immediate'),
    digestMinutes: z.number().int().min(1).max(1440).optional(),
    enabled: z.boolean().default(true),
  })
  .refine((route) => route.mode !== 'digest' || route.digestMinutes !== undefined, {
    message: 'digestMinutes: required for a digest route',
    path: ['digestMinutes'],
  });
export type RouteInput = z.infer<typeof routeInputSchema>;

export const routeChangeSchema = z.object({
  name: name.optional(),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1).max(NOTIFICATION_EVENTS.length).optional(),
  minSeverity: z.enum(SEVERITIES).optional(),
  ruleIds: z.array(z.string().min(1).max(200)).max(100).optional(),
  clusters: z.array(z.string().min(1).max(200)).max(100).optional(),
  namespaces: z.array(z.string().min(1).max(253)).max(100).optional(),
  mode: z.enum(['immediate', 'digest']).optional(),
  digestMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  enabled: z.boolean().optional(),
});
export type RouteChange = z.infer<typeof routeChangeSchema>;

export const deliveryFilterSchema = z.object({
  alertId: z.uuid().optional(),
  destinationId: z.uuid().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterSchema>;

/** One thing that happened to an alert, as the alerts module reports it inside its transaction. */
export const alertEventSchema = z.object({
  /** Unique per event: with the destination, the delivery's identity, so a replayed job sends nothing twice. */
  key: z.uuid(),
  event: z.enum(NOTIFICATION_EVENTS),
  alertId: z.uuid(),
  occurredAt: z.iso.datetime(),
  /** alert.assigned: who it now belongs to (an email goes to them). */
  assigneeEmail: z.string().nullable().optional(),
  /** alert.severity_raised: what it was. */
  previousSeverity: z.enum(SEVERITIES).optional(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

/** The alert as a message shows it, taken when the event is routed. */
export type AlertSnapshot = {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: (typeof SEVERITIES)[number];
  riskScore: number;
  status: string;
  closeReason: string | null;
  assignee: string | null;
  cluster: string | null;
  username: string | null;
  sourceIp: string | null;
  sourceIps: string[];
  userAgent: string | null;
  podName: string | null;
  namespaces: string[];
  secretNames: string[];
  eventCount: number;
  firstEventAt: string;
  lastEventAt: string;
  createdAt: string;
};

/** What a delivery carries: one alert event, or a digest of several. */
export type DeliveryPayload =
  | {
      kind: 'event';
      event: NotificationEvent;
      occurredAt: string;
      alert: AlertSnapshot;
      assigneeEmail?: string | null;
      previousSeverity?: string;
      test?: boolean;
    }
  | {
      kind: 'digest';
      routeName: string;
      from: string;
      to: string;
      items: { event: NotificationEvent; occurredAt: string; alert: AlertSnapshot }[];
    };
