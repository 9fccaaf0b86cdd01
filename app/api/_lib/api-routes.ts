// Every /api/v1 route module by its OpenAPI path, for the document at /api/v1/openapi.json
// (tests/integration/openapi.test.ts fails when a route file is missing here).
import * as alerts from '../v1/alerts/route';
import * as alertsId from '../v1/alerts/[id]/route';
import * as alertsBulk from '../v1/alerts/bulk/route';
import * as alertsExport from '../v1/alerts/export/route';
import * as allowlist from '../v1/allowlist/route';
import * as allowlistId from '../v1/allowlist/[id]/route';
import * as allowlistPreview from '../v1/allowlist/preview/route';
import * as auditWebhook from '../v1/audit-webhook/route';
import * as auditWebhookCluster from '../v1/audit-webhook/[cluster]/route';
import * as entitiesIpsIp from '../v1/entities/ips/[ip]/route';
import * as entitiesPodsNamespaceName from '../v1/entities/pods/[namespace]/[name]/route';
import * as entitiesUsersName from '../v1/entities/users/[name]/route';
import * as events from '../v1/events/route';
import * as eventsId from '../v1/events/[id]/route';
import * as eventsExport from '../v1/events/export/route';
import * as incidents from '../v1/incidents/route';
import * as incidentsId from '../v1/incidents/[id]/route';
import * as incidentsIdReport from '../v1/incidents/[id]/report/route';
import * as notificationsDeliveries from '../v1/notifications/deliveries/route';
import * as notificationsDeliveriesIdResend from '../v1/notifications/deliveries/[id]/resend/route';
import * as notificationsDestinations from '../v1/notifications/destinations/route';
import * as notificationsDestinationsId from '../v1/notifications/destinations/[id]/route';
import * as notificationsDestinationsIdTest from '../v1/notifications/destinations/[id]/test/route';
import * as notificationsRoutes from '../v1/notifications/routes/route';
import * as notificationsRoutesId from '../v1/notifications/routes/[id]/route';
import * as notificationsRoutesIdPreview from '../v1/notifications/routes/[id]/preview/route';
import * as overview from '../v1/overview/route';
import * as rules from '../v1/rules/route';
import * as rulesId from '../v1/rules/[id]/route';
import * as rulesIdPreview from '../v1/rules/[id]/preview/route';
import * as settingsRetention from '../v1/settings/retention/route';
import * as uploads from '../v1/uploads/route';
import * as uploadsBatchId from '../v1/uploads/[batchId]/route';
import * as views from '../v1/views/route';
import * as viewsId from '../v1/views/[id]/route';
import type { RouteModule } from './openapi';

export const API_ROUTE_MODULES: Record<string, RouteModule> = {
  '/api/v1/alerts': alerts,
  '/api/v1/alerts/{id}': alertsId,
  '/api/v1/alerts/bulk': alertsBulk,
  '/api/v1/alerts/export': alertsExport,
  '/api/v1/allowlist': allowlist,
  '/api/v1/allowlist/{id}': allowlistId,
  '/api/v1/allowlist/preview': allowlistPreview,
  '/api/v1/audit-webhook': auditWebhook,
  '/api/v1/audit-webhook/{cluster}': auditWebhookCluster,
  '/api/v1/entities/ips/{ip}': entitiesIpsIp,
  '/api/v1/entities/pods/{namespace}/{name}': entitiesPodsNamespaceName,
  '/api/v1/entities/users/{name}': entitiesUsersName,
  '/api/v1/events': events,
  '/api/v1/events/{id}': eventsId,
  '/api/v1/events/export': eventsExport,
  '/api/v1/incidents': incidents,
  '/api/v1/incidents/{id}': incidentsId,
  '/api/v1/incidents/{id}/report': incidentsIdReport,
  '/api/v1/notifications/deliveries': notificationsDeliveries,
  '/api/v1/notifications/deliveries/{id}/resend': notificationsDeliveriesIdResend,
  '/api/v1/notifications/destinations': notificationsDestinations,
  '/api/v1/notifications/destinations/{id}': notificationsDestinationsId,
  '/api/v1/notifications/destinations/{id}/test': notificationsDestinationsIdTest,
  '/api/v1/notifications/routes': notificationsRoutes,
  '/api/v1/notifications/routes/{id}': notificationsRoutesId,
  '/api/v1/notifications/routes/{id}/preview': notificationsRoutesIdPreview,
  '/api/v1/overview': overview,
  '/api/v1/rules': rules,
  '/api/v1/rules/{id}': rulesId,
  '/api/v1/rules/{id}/preview': rulesIdPreview,
  '/api/v1/settings/retention': settingsRetention,
  '/api/v1/uploads': uploads,
  '/api/v1/uploads/{batchId}': uploadsBatchId,
  '/api/v1/views': views,
  '/api/v1/views/{id}': viewsId,
};
