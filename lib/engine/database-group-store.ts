// The database behind a windowed rule's recomputation (lib/detections/recompute-group.ts): its
// windows in detection_windows, its events in audit_events, its alerts through lib/alerts.
import type pg from 'pg';
import { replaceDetectedAlerts, type ReplacedAlerts } from '../alerts/replace-detected-alerts';
import type { GroupStore } from '../detections/recompute-group';
import type { WindowedRule } from '../detections/types';
import { readWindowsAround, readWindowsOpening, replaceWindows } from './detection-windows';
import { readGroupEvents } from './read-detection-input';

/** One rule's store, inside the caller's transaction (which holds the groups' locks). */
export function databaseGroupStore(
  client: pg.ClientBase,
  rule: WindowedRule<Record<string, number>>,
): GroupStore<ReplacedAlerts> {
  return {
    readWindowsAround: (groupKey, time, before) => readWindowsAround(client, rule.id, groupKey, time, before),
    readWindowsOpening: (groupKey, from, before) => readWindowsOpening(client, rule.id, groupKey, from, before),
    readGroupEvents: (group, from, to) => readGroupEvents(client, rule, group, from, to),
    replaceWindows: (groupKey, span, windows) => replaceWindows(client, rule.id, groupKey, span, windows),
    replaceAlerts: (groupKey, span, candidates) =>
      replaceDetectedAlerts(client, { ruleId: rule.id, groupKey, ...span }, candidates),
  };
}
