import { parseArgs } from 'node:util';
import pg from 'pg';
import { getEnv } from '../../lib/env';
import { runRetention } from '../../lib/storage/run-retention';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

/** vigil retention [--dry-run] [--json]: drops the (day, cluster) partitions past their retention period. */
export async function retentionCommand(args: string[]): Promise<CommandResult> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } });
  return withDatabase(async (database) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const result = await runRetention(pool, {
        environmentDays: getEnv().VIGIL_RETENTION_DAYS,
        dryRun: values['dry-run'],
      });
      const gigabytes = (result.dropped.reduce((total, p) => total + p.bytes, 0) / 1024 ** 3).toFixed(2);
      const verb = result.dryRun ? 'Would drop' : 'Dropped';
      const lines = [
        result.dropped.length === 0
          ? `${result.dryRun ? 'Nothing would be dropped' : 'Nothing to drop'}: every stored day is within its retention period.`
          : `${verb} ${result.dropped.length} (day, cluster) partition(s), ${gigabytes} GB${result.dryRun ? '' : ` in ${result.durationMs} ms`}:`,
        ...result.dropped.map(
          (p) => `  ${p.day}  ${p.cluster}  ~${Math.round(p.rows).toLocaleString('en-US')} requests`,
        ),
      ];
      return { ok: true, text: lines.join('\n'), json: result };
    } finally {
      await pool.end();
    }
  });
}
