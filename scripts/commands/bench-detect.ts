// npm run bench -- detect [--events N] [--dataset]: the four rules over N generated events with planted
// attacks, against a hand-written SQL query for rule 2 over the same rows in the same run. --dataset runs
// them over a copy of the UI benchmark's kept data of that size (days of a busy cluster, loaded once).
import pg from 'pg';
import { createDb } from '../../lib/db/client';
import { generateScenario } from '../../lib/demo/generate-scenario';
import { writeScenario } from '../../lib/demo/write-format';
import { rebuildDetection } from '../../lib/engine/run-detection';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import type { CommandResult } from '../cli-output';
import { applyAllMigrations } from './migrate';

/** Rule 2 as one would write it by hand: distinct secret names per client in 6-minute bins. */
const RULE_2_BASELINE = `
  SELECT username, source_ip, user_agent, date_bin('6 minutes', time, TIMESTAMPTZ 'epoch') AS bin, count(DISTINCT name) AS names
    FROM audit_events
   WHERE verb = 'get' AND resource = 'secrets' AND name IS NOT NULL AND username IS NOT NULL AND source_ip IS NOT NULL
     AND source_ip NOT IN ('127.0.0.1', '::1')
     AND username NOT IN ('system:kube-controller-manager', 'system:kube-scheduler',
       'system:serviceaccount:flux-system:kustomize-controller', 'system:serviceaccount:flux-system:helm-controller',
       'system:serviceaccount:flux-system:source-controller', 'system:serviceaccount:security:trivy-operator')
     AND name NOT LIKE 'sh.helm.release.%'
   GROUP BY 1, 2, 3, 4 HAVING count(DISTINCT name) >= 3`;

const RULE_2 = 'rapid-secret-get-multiple-objects';

/**
 * `dataset`: the database holds a copy of the UI benchmark's data, whose load recorded the alerts the rules
 * raised (the planted attacks of each day); its detection state is cleared and rebuilt. Otherwise N events
 * are generated and ingested here.
 */
export async function benchDetect(
  url: string,
  events: number,
  log: (message: string) => void,
  dataset?: { detectedAlerts: number },
): Promise<CommandResult> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const db = createDb(url, 2);
  try {
    let expected: number;
    if (dataset) {
      // The synthetic alerts go too: a rebuild would withdraw them one group at a time.
      await pool.query(`TRUNCATE alerts, evidence_audit_events, evidence_file_events, detection_windows, rule_runs,
          detect_pending CASCADE`);
      await pool.query('VACUUM ANALYZE alerts, alert_events, evidence_audit_events, detection_windows');
      expected = dataset.detectedAlerts;
    } else {
      await applyAllMigrations(url);
      await seedDatabase(db, { demo: false });
      const scenario = generateScenario({ events, end: new Date() });
      log(`loading ${events.toLocaleString('en-US')} generated events (not timed)…`);
      for (const format of ['k8s-audit', 'file-events'] as const) {
        const input = (async function* () {
          for (const text of writeScenario(scenario, format)) yield Buffer.from(text);
        })();
        await ingestStream(input, { source: 'cli', format, cluster: scenario.cluster }, { pool });
      }
      await pool.query('ANALYZE');
      expected = scenario.groundTruth.alerts.length;
    }
    const requests = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events')).rows[0]!.n);

    log('baseline: hand-written SQL for rule 2…');
    let started = performance.now();
    const baselineRows = (await pool.query(RULE_2_BASELINE)).rowCount ?? 0;
    const baselineMs = performance.now() - started;

    log('Vigil: all four rules over the whole range, alerts written…');
    started = performance.now();
    const result = await rebuildDetection(pool);
    const totalMs = performance.now() - started;
    const perRule = Object.fromEntries(
      result.rules.map((rule) => [
        rule.ruleId,
        { ms: rule.durationMs, scanned: rule.eventsScanned, alerts: rule.alerts.length },
      ]),
    );
    const rule2Ms = perRule[RULE_2]?.ms ?? 0;
    const report = {
      events,
      requests,
      dataset: dataset !== undefined,
      allRulesSeconds: Math.round(totalMs) / 1000,
      perRule,
      alerts: result.created,
      expectedAlerts: expected,
      rule2: {
        vigilMs: rule2Ms,
        baselineMs: Math.round(baselineMs),
        baselineGroups: baselineRows,
        ratio: Math.round((rule2Ms / Math.max(baselineMs, 1)) * 100) / 100,
      },
    };
    const text = [
      `detect benchmark: ${events.toLocaleString('en-US')} events (${requests.toLocaleString('en-US')} requests${dataset ? ', the kept UI dataset' : ''})`,
      `  all four rules        ${report.allRulesSeconds} s (goal < 20 s at 10M events), ${result.created} alerts (${dataset ? 'the load raised' : 'ground truth'} ${expected})`,
      ...result.rules.map(
        (rule) =>
          `    ${rule.ruleId.padEnd(36)} ${String(rule.durationMs).padStart(6)} ms, ${rule.eventsScanned.toLocaleString('en-US')} events in its groups`,
      ),
      `  rule 2: Vigil ${rule2Ms} ms vs hand-written SQL ${report.rule2.baselineMs} ms → ${report.rule2.ratio}x (goal ≤ 3x)`,
    ].join('\n');
    return { ok: result.created === expected, text, json: report };
  } finally {
    await pool.end();
    await db.$disconnect();
  }
}
