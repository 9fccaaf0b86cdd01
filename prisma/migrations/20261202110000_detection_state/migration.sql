-- Detection state derived from the stored events, so that detecting in slices, out of order or late
-- gives what one run over everything gives (lib/engine). Rebuilt from the events whenever it is stale.

-- Every window of every group of the windowed rules, alert or not (a window below its rule's threshold
-- still anchors the next one).
CREATE TABLE "detection_windows" (
    "rule_id" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(6) NOT NULL,
    "window_end" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "detection_windows_pkey" PRIMARY KEY ("rule_id","group_key","window_start")
);
ALTER TABLE "detection_windows" ADD CONSTRAINT "detection_windows_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What ingest stored that detection has not seen yet: one event-time range per cluster, the union of
-- every chunk's, and when it first waited (the coalesced detect job runs no later than a cap after it).
CREATE TABLE "detect_pending" (
    "cluster" TEXT NOT NULL,
    "from_time" TIMESTAMPTZ(6) NOT NULL,
    "to_time" TIMESTAMPTZ(6) NOT NULL,
    "first_pending_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detect_pending_pkey" PRIMARY KEY ("cluster")
);

-- The range a detect job took from detect_pending and has not finished: a job that dies keeps it, and
-- its retry (or the next job of the cluster) detects it.
CREATE TABLE "detect_claims" (
    "job_id" BIGINT NOT NULL,
    "cluster" TEXT NOT NULL,
    "from_time" TIMESTAMPTZ(6) NOT NULL,
    "to_time" TIMESTAMPTZ(6) NOT NULL,
    "claimed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detect_claims_pkey" PRIMARY KEY ("job_id")
);
CREATE INDEX "detect_claims_cluster_idx" ON "detect_claims"("cluster");

-- The rule version (settings) the detection state was built with: another version rebuilds it.
ALTER TABLE "rules" ADD COLUMN "detected_version" INTEGER;

-- An alert that a recomputation no longer raises keeps its triage and history, out of the queue.
ALTER TABLE "alerts" ADD COLUMN "withdrawn_at" TIMESTAMPTZ(6),
ADD COLUMN "withdrawn_reason" TEXT,
ADD COLUMN "superseded_by" UUID;
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_superseded_by_fkey" FOREIGN KEY ("superseded_by") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "alerts_rule_id_group_key_window_start_idx" ON "alerts"("rule_id", "group_key", "window_start");

-- event.category of container file events (upstream's `file where` needs `file`), read back from the
-- originals of rows stored before: flattened ("event.category") or nested, a string or a list, bare or a search hit.
ALTER TABLE "file_events" ADD COLUMN "categories" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "evidence_file_events" ADD COLUMN "categories" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

CREATE FUNCTION "vigil_original_categories"(original JSONB) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(ARRAY(
    SELECT jsonb_array_elements_text(CASE jsonb_typeof(v) WHEN 'array' THEN v ELSE jsonb_build_array(v) END)
      FROM (SELECT COALESCE(d -> 'event.category', d #> '{event,category}') AS v
              FROM (SELECT COALESCE(original -> '_source', original) AS d) doc) found
     WHERE v IS NOT NULL AND jsonb_typeof(v) IN ('array', 'string')
  ), ARRAY[]::TEXT[])
$$;
UPDATE "file_events" SET "categories" = "vigil_original_categories"("original");
UPDATE "evidence_file_events" SET "categories" = "vigil_original_categories"("original");
DROP FUNCTION "vigil_original_categories"(JSONB);
