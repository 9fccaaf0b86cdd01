import type { Db } from '../db/client';

// Alert counts are count-alerts' (countAlertsByStatus), as every panel and the queue read them.
export type OverviewCounts = {
  /** Requests stored, from the rollups: retention's dropped partitions still count. */
  auditEvents: number;
  fileEvents: number;
  ingestBatches: number;
  rulesEnabled: number;
  rulesTotal: number;
};

export async function readOverviewCounts(db: Db): Promise<OverviewCounts> {
  const [auditEvents, fileEvents, ingestBatches, rulesEnabled, rulesTotal] = await Promise.all([
    db.clusterRollup.aggregate({ _sum: { count: true } }).then((sum) => sum._sum.count ?? 0),
    db.fileEvent.count(),
    db.ingestBatch.count(),
    db.rule.count({ where: { enabled: true } }),
    db.rule.count(),
  ]);
  return { auditEvents, fileEvents, ingestBatches, rulesEnabled, rulesTotal };
}
