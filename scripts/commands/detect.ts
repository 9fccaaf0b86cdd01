import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { readStoredTimeRange } from '../../lib/events/read-stored-time-range';
import { rebuildDetection, runDetection } from '../../lib/engine/run-detection';
import { ruleDefinitions } from '../../lib/detections/registry';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

const optionsSchema = z.object({
  rule: z
    .enum(ruleDefinitions.map((rule) => rule.id) as [string, ...string[]], {
      error: `must be one of: ${ruleDefinitions.map((rule) => rule.id).join(', ')}`,
    })
    .optional(),
  from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-11-23T11:00:00Z' }).optional(),
});

/**
 * vigil detect [--rule ID] [--from T --to T] [--dry-run] [--rebuild] [--json]: with a range, brings the
 * alerts in step with events stored in it; without one (or with --rebuild), rebuilds every window and alert
 * from everything stored.
 */
export async function detectCommand(args: string[]): Promise<CommandResult> {
  const { values } = parseArgs({
    args,
    options: {
      rule: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${String(issue?.path[0] ?? 'option')}: ${issue?.message}`);
  }
  return withDatabase(async (database) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const stored = await readStoredTimeRange(pool);
      const from = parsed.data.from ? new Date(parsed.data.from) : stored?.from;
      const to = parsed.data.to ? new Date(parsed.data.to) : stored?.to;
      if (!from || !to)
        return {
          ok: true,
          text: 'No events stored yet: nothing to detect.',
          json: { created: 0, updated: 0, alerts: [] },
        };
      const ruleIds = parsed.data.rule ? [parsed.data.rule] : undefined;
      const ranged = parsed.data.from !== undefined || parsed.data.to !== undefined;
      const result =
        values['dry-run'] || (ranged && !values.rebuild)
          ? await runDetection(pool, { from, to, ruleIds, dryRun: values['dry-run'] })
          : await rebuildDetection(pool, { ruleIds });
      const alerts = result.rules.flatMap((rule) =>
        rule.alerts.map((alert) => ({
          id: alert.alertId,
          rule: alert.ruleId,
          severity: alert.severity,
          groupKey: alert.groupKey,
          status: alert.status,
          username: alert.username,
          sourceIp: alert.sourceIp,
          userAgent: alert.userAgent,
          podName: alert.podName,
          namespaces: alert.namespaces,
          secretNames: alert.secretNames,
          firstEventAt: alert.firstEventAt.toISOString(),
          lastEventAt: alert.lastEventAt.toISOString(),
          eventCount: alert.auditEventIds.length + alert.fileEventIds.length,
        })),
      );
      const lines = [
        `${result.dryRun ? 'Preview (nothing written)' : 'Detection'} over ${result.from} → ${result.to}: ${result.created} created, ${result.updated} updated, ${result.withdrawn} withdrawn`,
        ...result.rules.map(
          (rule) =>
            `  ${rule.ruleId}: ${rule.alerts.length} alert(s), ${rule.eventsScanned} events scanned, ${rule.allowlisted} allowlisted, ${rule.durationMs} ms`,
        ),
        ...alerts.map(
          (alert) => `  [${alert.severity}] ${alert.rule} ${alert.groupKey} — ${alert.eventCount} event(s)`,
        ),
      ];
      return {
        ok: true,
        text: lines.join('\n'),
        json: {
          from: result.from,
          to: result.to,
          dryRun: result.dryRun,
          created: result.created,
          updated: result.updated,
          withdrawn: result.withdrawn,
          alerts,
        },
      };
    } finally {
      await pool.end();
    }
  });
}
