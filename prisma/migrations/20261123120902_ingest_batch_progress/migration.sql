-- AlterTable
ALTER TABLE "ingest_batches" ADD COLUMN     "formats" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "ingest_batches_status_updated_at_idx" ON "ingest_batches"("status", "updated_at");
