import type pg from 'pg';
import { generateScenario } from '../demo/generate-scenario';
import { writeScenario } from '../demo/write-format';
import type { BatchSummary } from '../ingest/batches';
import { ingestStream } from '../ingest/ingest-stream';

export const DEMO_EVENTS = 20_000;

function* asBytes(texts: Iterable<string>): Generator<Buffer> {
  for (const text of texts) yield Buffer.from(text);
}

/**
 * A living demo cluster: the scenario generator's last six hours of activity, with its
 * planted attacks, ingested through the same pipeline as any upload.
 */
export async function seedDemoData(pool: pg.Pool, options: { events?: number; end: Date }): Promise<BatchSummary[]> {
  const scenario = generateScenario({ events: options.events ?? DEMO_EVENTS, end: options.end });
  const batches: BatchSummary[] = [];
  for (const format of ['k8s-audit', 'file-events'] as const) {
    const input = (async function* () {
      yield* asBytes(writeScenario(scenario, format));
    })();
    batches.push(
      await ingestStream(
        input,
        { source: 'demo', format, cluster: scenario.cluster, fileName: `demo-${format}.ndjson` },
        { pool },
      ),
    );
  }
  return batches;
}
