-- Retention of raw events: a period for all clusters ('*') and per cluster, applied by dropping whole
-- (day, cluster) partitions (lib/storage/run-retention.ts). Alert evidence lives in its own tables and stays.
-- days ≥ 1 is checked at the boundary (lib/storage/schemas.ts): Prisma's schema describer cannot read CHECK constraints.
CREATE TABLE "retention_settings" (
    "scope" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "updated_by_id" UUID,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "retention_settings_pkey" PRIMARY KEY ("scope")
);
ALTER TABLE "retention_settings" ADD CONSTRAINT "retention_settings_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every retention run: what it dropped, how long it took, how it ended.
CREATE TABLE "retention_runs" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "dropped" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,

    CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "retention_runs_started_at_idx" ON "retention_runs"("started_at" DESC);

-- Requests a batch stored that are already older than their retention period: gone at the next run.
ALTER TABLE "ingest_batches" ADD COLUMN "expiring" INTEGER NOT NULL DEFAULT 0;
