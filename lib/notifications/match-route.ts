// Whether a route sends an alert event: its event list, the severity floor, and the rule, cluster and
// namespace filters (an empty filter lets everything through).
import { SEVERITIES, type Severity } from '../vocabulary/severity';
import type { AlertSnapshot, NotificationEvent } from './schemas';

export type RouteFilter = {
  enabled: boolean;
  events: readonly string[];
  minSeverity: Severity;
  ruleIds: readonly string[];
  clusters: readonly string[];
  namespaces: readonly string[];
};

type MatchedAlert = Pick<AlertSnapshot, 'ruleId' | 'severity' | 'cluster' | 'namespaces'>;

export function routeMatches(route: RouteFilter, event: NotificationEvent, alert: MatchedAlert): boolean {
  if (!route.enabled || !route.events.includes(event)) return false;
  if (SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(route.minSeverity)) return false;
  if (route.ruleIds.length > 0 && !route.ruleIds.includes(alert.ruleId)) return false;
  if (route.clusters.length > 0 && (alert.cluster === null || !route.clusters.includes(alert.cluster))) return false;
  if (route.namespaces.length > 0 && !alert.namespaces.some((namespace) => route.namespaces.includes(namespace)))
    return false;
  return true;
}
