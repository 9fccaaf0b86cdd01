// The database behind a sequence rule's recomputation (lib/detections/recompute-sequences.ts).
import type pg from 'pg';
import { replaceDetectedAlerts, type ReplacedAlerts } from '../alerts/replace-detected-alerts';
import type { SequenceStore } from '../detections/recompute-sequences';
import type { SequenceRule } from '../detections/types';
import { readAuditCandidates, readFileCandidates } from './read-detection-input';

/** One rule's store, inside the caller's transaction (which holds the rule's lock). */
export function databaseSequenceStore(
  client: pg.ClientBase,
  rule: SequenceRule<Record<string, number>>,
): SequenceStore<ReplacedAlerts> {
  return {
    readFileEvents: (range) => readFileCandidates(client, rule, range),
    readPodEvents: (pods, range) => readAuditCandidates(client, rule, { ...range, pods }),
    replaceAlerts: (span, candidates) =>
      replaceDetectedAlerts(client, { ruleId: rule.id, groupKey: null, ...span }, candidates),
  };
}
