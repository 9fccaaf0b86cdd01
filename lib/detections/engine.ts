// Runs the rules over an event-time range: reads candidates with each rule's SQL
// prefilter, applies its exact predicate and the allowlist, evaluates windows on event
// time, and upserts alerts by their deterministic identity with links to every event.
import type pg from 'pg';
import { compileAllowlist, findAllowlistMatch, type CompiledEntry } from '../allowlist/match-allowlist';
import { ruleDefinitions } from './registry';
import type {
  AlertCandidate,
  AllowlistCondition,
  AnyRuleDefinition,
  DetectionAuditEvent,
  DetectionFileEvent,
  PriorWindow,
} from './types';

export type DetectOptions = {
  from: Date;
  to: Date;
  /** Only these rules (default: every enabled rule). */
  ruleIds?: string[];
  /** Evaluate and report, write nothing (preview / backtest). */
  dryRun?: boolean;
  now?: Date;
};

export type RuleOutcome = {
  ruleId: string;
  eventsScanned: number;
  allowlisted: number;
  created: number;
  updated: number;
  durationMs: number;
  alerts: (AlertCandidate & { alertId: string | null; status: 'created' | 'updated' | 'unchanged' | 'preview' })[];
};

export type DetectResult = {
  from: string;
  to: string;
  dryRun: boolean;
  created: number;
  updated: number;
  rules: RuleOutcome[];
};

/** The audit_events columns the rules read, and their mapping: the allowlist tests read events the same way. */
export const AUDIT_FIELDS = `id::text AS id, cluster, audit_id, stage, time, verb, username, groups, user_agent, source_ips,
  source_ip, resource, subresource, namespace, name, request_uri, response_code, decision, pod_name, pod_uid, node_name`;

export type AuditRow = {
  id: string;
  cluster: string;
  audit_id: string;
  stage: string;
  time: Date;
  verb: string;
  username: string | null;
  groups: string[];
  user_agent: string | null;
  source_ips: string[];
  source_ip: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  request_uri: string | null;
  response_code: number | null;
  decision: string | null;
  pod_name: string | null;
  pod_uid: string | null;
  node_name: string | null;
};

export function toDetectionEvent(row: AuditRow): DetectionAuditEvent {
  return {
    id: row.id,
    cluster: row.cluster,
    auditId: row.audit_id,
    stage: row.stage,
    time: row.time,
    verb: row.verb,
    username: row.username,
    groups: row.groups,
    userAgent: row.user_agent,
    sourceIps: row.source_ips,
    sourceIp: row.source_ip,
    resource: row.resource,
    subresource: row.subresource,
    namespace: row.namespace,
    name: row.name,
    requestUri: row.request_uri,
    responseCode: row.response_code,
    decision: row.decision,
    podName: row.pod_name,
    podUid: row.pod_uid,
    nodeName: row.node_name,
  };
}

async function readFileEvents(
  client: pg.ClientBase,
  rule: AnyRuleDefinition,
  from: Date,
  to: Date,
): Promise<DetectionFileEvent[]> {
  if (!rule.filePrefilter) return [];
  const result = await client.query(
    `SELECT id::text AS id, cluster, time, path, action, types, interactive, container_id, pod_name, namespace, host_os, process_name
       FROM file_events WHERE time >= $1 AND time < $2 AND (${rule.filePrefilter.sql}) ORDER BY time, id`,
    [from, to],
  );
  return result.rows.map((row) => ({
    id: row.id,
    cluster: row.cluster,
    time: row.time,
    path: row.path,
    action: row.action,
    types: row.types,
    interactive: row.interactive,
    containerId: row.container_id,
    podName: row.pod_name,
    namespace: row.namespace,
    hostOs: row.host_os,
    processName: row.process_name,
  }));
}

async function readAuditEvents(
  client: pg.ClientBase,
  rule: AnyRuleDefinition,
  from: Date,
  to: Date,
  pods: string[] | null,
) {
  // A sequence rule only needs the audit events of pods its file events name.
  const podFilter = pods === null ? '' : 'AND pod_name = ANY($3)';
  const result = await client.query<AuditRow>(
    `SELECT ${AUDIT_FIELDS} FROM audit_events WHERE time >= $1 AND time < $2 AND (${rule.prefilter.sql}) ${podFilter} ORDER BY time, id`,
    pods === null ? [from, to] : [from, to, pods],
  );
  return result.rows.map(toDetectionEvent);
}

async function readAllowlist(client: pg.ClientBase, now: Date): Promise<CompiledEntry[]> {
  const result = await client.query<{ id: string; rule_id: string | null; conditions: AllowlistCondition[] }>(
    `SELECT id, rule_id, conditions FROM allowlist_entries WHERE enabled AND (expires_at IS NULL OR expires_at > $1)`,
    [now],
  );
  return compileAllowlist(result.rows.map((row) => ({ id: row.id, ruleId: row.rule_id, conditions: row.conditions })));
}

async function readPriorWindows(client: pg.ClientBase, ruleId: string, from: Date, to: Date): Promise<PriorWindow[]> {
  const result = await client.query<{ group_key: string; window_start: Date; window_end: Date }>(
    `SELECT group_key, window_start, window_end FROM alerts WHERE rule_id = $1 AND window_end >= $2 AND window_start <= $3`,
    [ruleId, from, to],
  );
  return result.rows.map((row) => ({
    groupKey: row.group_key,
    windowStart: row.window_start,
    windowEnd: row.window_end,
  }));
}

const UPSERT_ALERT = `
  INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score,
    first_event_at, last_event_at, event_count, cluster, username, source_ip, source_ips, user_agent, pod_name,
    namespaces, secret_names, outcomes, response_codes, details, updated_at)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::"Severity", $7, $8, $9, 0, $10, $11, $12, $13, $14, $15,
    $16, $17, $18, $19, $20, now())
  ON CONFLICT (identity) DO UPDATE SET
    window_end = GREATEST(alerts.window_end, EXCLUDED.window_end),
    severity = GREATEST(alerts.severity, EXCLUDED.severity),
    risk_score = GREATEST(alerts.risk_score, EXCLUDED.risk_score),
    first_event_at = LEAST(alerts.first_event_at, EXCLUDED.first_event_at),
    last_event_at = GREATEST(alerts.last_event_at, EXCLUDED.last_event_at),
    source_ips = ARRAY(SELECT DISTINCT unnest(alerts.source_ips || EXCLUDED.source_ips) ORDER BY 1),
    namespaces = ARRAY(SELECT DISTINCT unnest(alerts.namespaces || EXCLUDED.namespaces) ORDER BY 1),
    secret_names = ARRAY(SELECT DISTINCT unnest(alerts.secret_names || EXCLUDED.secret_names) ORDER BY 1),
    outcomes = ARRAY(SELECT DISTINCT unnest(alerts.outcomes || EXCLUDED.outcomes) ORDER BY 1),
    response_codes = ARRAY(SELECT DISTINCT unnest(alerts.response_codes || EXCLUDED.response_codes) ORDER BY 1),
    details = EXCLUDED.details
  RETURNING id, (xmax = 0) AS inserted, status`;

/** Writes one candidate; returns whether it created the alert and how many evidence links are new. */
async function upsertAlert(client: pg.ClientBase, candidate: AlertCandidate) {
  const alert = await client.query<{ id: string; inserted: boolean; status: string }>(UPSERT_ALERT, [
    candidate.ruleId,
    candidate.identity,
    candidate.groupKey,
    candidate.windowStart,
    candidate.windowEnd,
    candidate.severity,
    candidate.riskScore,
    candidate.firstEventAt,
    candidate.lastEventAt,
    candidate.cluster,
    candidate.username,
    candidate.sourceIp,
    candidate.sourceIps,
    candidate.userAgent,
    candidate.podName,
    candidate.namespaces,
    candidate.secretNames,
    candidate.outcomes,
    candidate.responseCodes,
    JSON.stringify(candidate.details),
  ]);
  const { id, inserted, status } = alert.rows[0]!;
  const links = await client.query(
    `INSERT INTO alert_events (alert_id, event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, candidate.auditEventIds],
  );
  const fileLinks = await client.query(
    `INSERT INTO alert_file_events (alert_id, file_event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, candidate.fileEventIds],
  );
  const added = (links.rowCount ?? 0) + (fileLinks.rowCount ?? 0);
  await client.query(
    `UPDATE alerts SET event_count = (SELECT count(*) FROM alert_events WHERE alert_id = $1)
       + (SELECT count(*) FROM alert_file_events WHERE alert_id = $1) WHERE id = $1`,
    [id],
  );
  if (inserted) {
    await client.query(
      `INSERT INTO alert_activity (alert_id, actor_name, kind, to_value, note) VALUES ($1, 'system', 'created', 'open', $2)`,
      [id, `raised by the detection engine with ${added} evidence event(s)`],
    );
  } else if (added > 0 && status === 'closed') {
    // New evidence never vanishes into a closed alert: it reopens, visibly.
    await client.query(`UPDATE alerts SET status = 'open', close_reason = NULL WHERE id = $1`, [id]);
    await client.query(
      `INSERT INTO alert_activity (alert_id, actor_name, kind, from_value, to_value, note) VALUES ($1, 'system', 'status', 'closed', 'open', $2)`,
      [id, `reopened: ${added} new evidence event(s) arrived`],
    );
  } else if (added > 0) {
    await client.query(
      `INSERT INTO alert_activity (alert_id, actor_name, kind, note) VALUES ($1, 'system', 'evidence', $2)`,
      [id, `${added} new evidence event(s)`],
    );
  }
  return { id, inserted, added };
}

async function runRule(
  client: pg.ClientBase,
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  options: Required<Omit<DetectOptions, 'ruleIds'>>,
  allowlist: CompiledEntry[],
): Promise<RuleOutcome> {
  const started = performance.now();
  const from = new Date(options.from.getTime() - rule.lookbackMs(params));
  const to = new Date(options.to.getTime() + (rule.lookaheadMs?.(params) ?? 0));
  const fileEvents = (await readFileEvents(client, rule, from, to)).filter(
    (event) => rule.matchesFileEvent?.(event, params) ?? true,
  );
  const pods = rule.filePrefilter
    ? [...new Set(fileEvents.map((event) => event.podName).filter((pod): pod is string => pod !== null))]
    : null;
  const scanned = pods !== null && pods.length === 0 ? [] : await readAuditEvents(client, rule, from, to, pods);

  const hits = new Map<string, { count: number; last: Date }>();
  const events = scanned.filter((event) => {
    if (!rule.matches(event, params)) return false;
    const entry = findAllowlistMatch(allowlist, rule.id, event);
    if (!entry) return true;
    const hit = hits.get(entry.id) ?? { count: 0, last: event.time };
    hits.set(entry.id, { count: hit.count + 1, last: event.time > hit.last ? event.time : hit.last });
    return false;
  });
  const priorWindows = await readPriorWindows(client, rule.id, from, to);
  const candidates = rule
    .evaluate({ events, fileEvents, params, priorWindows })
    // Windows wholly inside the look-back belong to an earlier run's range.
    .filter((candidate) => candidate.lastEventAt >= options.from && candidate.firstEventAt < to);

  const outcome: RuleOutcome = {
    ruleId: rule.id,
    eventsScanned: scanned.length + fileEvents.length,
    allowlisted: [...hits.values()].reduce((total, hit) => total + hit.count, 0),
    created: 0,
    updated: 0,
    durationMs: 0,
    alerts: [],
  };
  if (options.dryRun) {
    outcome.alerts = candidates.map((candidate) => ({ ...candidate, alertId: null, status: 'preview' }));
  } else {
    for (const candidate of candidates) {
      const written = await upsertAlert(client, candidate);
      const status = written.inserted ? 'created' : written.added > 0 ? 'updated' : 'unchanged';
      if (status === 'created') outcome.created++;
      if (status === 'updated') outcome.updated++;
      outcome.alerts.push({ ...candidate, alertId: written.id, status });
    }
    for (const [entryId, hit] of hits) {
      await client.query(
        `UPDATE allowlist_entries SET hit_count = hit_count + $2, last_hit_at = GREATEST(last_hit_at, $3) WHERE id = $1`,
        [entryId, hit.count, hit.last],
      );
    }
  }
  outcome.durationMs = Math.round(performance.now() - started);
  if (!options.dryRun) {
    await client.query(
      `INSERT INTO rule_runs (rule_id, range_from, range_to, started_at, finished_at, events_scanned, alerts_created, alerts_updated)
       VALUES ($1, $2, $3, now() - make_interval(secs => $4::double precision / 1000), now(), $5, $6, $7)`,
      [rule.id, options.from, options.to, outcome.durationMs, outcome.eventsScanned, outcome.created, outcome.updated],
    );
  }
  return outcome;
}

/** Runs the rules over [from, to) of event time. Each rule commits on its own, so a failure loses no other rule's work. */
export async function runDetection(pool: pg.Pool, options: DetectOptions): Promise<DetectResult> {
  const settings = {
    from: options.from,
    to: options.to,
    dryRun: options.dryRun ?? false,
    now: options.now ?? new Date(),
  };
  const client = await pool.connect();
  try {
    const ruleRows = await client.query<{ id: string; enabled: boolean; parameters: Record<string, unknown> }>(
      `SELECT id, enabled, parameters FROM rules`,
    );
    const rows = new Map(ruleRows.rows.map((row) => [row.id, row]));
    const selected = ruleDefinitions.filter((rule) =>
      options.ruleIds ? options.ruleIds.includes(rule.id) : (rows.get(rule.id)?.enabled ?? true),
    );
    const allowlist = await readAllowlist(client, settings.now);
    const outcomes: RuleOutcome[] = [];
    for (const rule of selected) {
      const stored = rows.get(rule.id)?.parameters ?? rule.defaultParameters;
      const parsed = rule.parametersSchema.safeParse({ ...rule.defaultParameters, ...stored });
      if (!parsed.success)
        throw new Error(`rule ${rule.id} has invalid parameters: ${parsed.error.issues[0]?.message}`);
      await client.query('BEGIN');
      try {
        outcomes.push(await runRule(client, rule, parsed.data, settings, allowlist));
        await client.query(settings.dryRun ? 'ROLLBACK' : 'COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return {
      from: settings.from.toISOString(),
      to: settings.to.toISOString(),
      dryRun: settings.dryRun,
      created: outcomes.reduce((total, outcome) => total + outcome.created, 0),
      updated: outcomes.reduce((total, outcome) => total + outcome.updated, 0),
      rules: outcomes,
    };
  } finally {
    client.release();
  }
}

/** The event-time range of everything stored, for "detect over all data". */
export async function readStoredTimeRange(pool: pg.Pool): Promise<{ from: Date; to: Date } | null> {
  const result = await pool.query<{ min: Date | null; max: Date | null }>(
    `SELECT least((SELECT min(time) FROM audit_events), (SELECT min(time) FROM file_events)) AS min,
            greatest((SELECT max(time) FROM audit_events), (SELECT max(time) FROM file_events)) AS max`,
  );
  const { min, max } = result.rows[0]!;
  return min && max ? { from: min, to: new Date(max.getTime() + 1) } : null;
}
