-- One row per API request (its stages merged), audit and file events partitioned by event time (a day per
-- partition) and, within a day, by cluster (so retention can drop one cluster's day without a row DELETE),
-- the stages' originals kept together and compressed, and alert evidence copied into tables of its own so
-- that dropping old partitions never takes an alert's evidence with it.
-- Prisma cannot express partitioning, storage or compression: its models describe the parent tables'
-- columns, keys and indexes, which is what the drift check compares (see README, "Prisma").

-- The old per-stage tables step aside; their rows are merged into the new ones below.
ALTER TABLE "alert_events" DROP CONSTRAINT "alert_events_event_id_fkey";
ALTER TABLE "alert_file_events" DROP CONSTRAINT "alert_file_events_file_event_id_fkey";
ALTER TABLE "audit_event_originals" DROP CONSTRAINT "audit_event_originals_event_id_fkey";
ALTER TABLE "audit_events" DROP CONSTRAINT "audit_events_batch_id_fkey";
ALTER TABLE "file_events" DROP CONSTRAINT "file_events_batch_id_fkey";
ALTER TABLE "audit_events" RENAME TO "legacy_audit_events";
ALTER TABLE "audit_event_originals" RENAME TO "legacy_audit_event_originals";
ALTER TABLE "file_events" RENAME TO "legacy_file_events";
ALTER TABLE "legacy_audit_events" DROP CONSTRAINT "audit_events_pkey";
ALTER TABLE "legacy_audit_event_originals" DROP CONSTRAINT "audit_event_originals_pkey";
ALTER TABLE "legacy_file_events" DROP CONSTRAINT "file_events_pkey";
DROP INDEX "audit_events_time_idx", "audit_events_username_time_idx", "audit_events_source_ip_time_idx",
  "audit_events_pod_name_time_idx", "audit_events_namespace_pod_name_time_idx", "audit_events_resource_verb_time_idx",
  "audit_events_batch_id_idx", "audit_events_cluster_audit_id_stage_key", "file_events_time_idx",
  "file_events_pod_name_time_idx", "file_events_batch_id_idx", "file_events_cluster_event_key_key";

-- Requests
CREATE TABLE "audit_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('audit_events_id_seq'),
    "cluster" TEXT NOT NULL,
    "audit_id" TEXT NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "received_at" TIMESTAMPTZ(6),
    "started_at" TIMESTAMPTZ(6),
    "completed_at" TIMESTAMPTZ(6),
    "panicked_at" TIMESTAMPTZ(6),
    "level" TEXT,
    "verb" TEXT NOT NULL,
    "username" TEXT,
    "user_uid" TEXT,
    "groups" TEXT[],
    "user_agent" TEXT,
    "source_ips" TEXT[],
    "source_ip" TEXT,
    "resource" TEXT,
    "subresource" TEXT,
    "namespace" TEXT,
    "name" TEXT,
    "api_group" TEXT,
    "api_version" TEXT,
    "request_uri" TEXT,
    "response_code" INTEGER,
    "decision" TEXT,
    "reason" TEXT,
    "pod_name" TEXT,
    "pod_uid" TEXT,
    "node_name" TEXT,
    "impersonated_user" TEXT,
    "source_format" TEXT NOT NULL,
    "batch_id" UUID,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id", "time", "cluster")
) PARTITION BY RANGE ("time");
ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id";
CREATE UNIQUE INDEX "audit_events_cluster_audit_id_time_key" ON "audit_events"("cluster", "audit_id", "time");
CREATE INDEX "audit_events_time_idx" ON "audit_events"("time");
CREATE INDEX "audit_events_username_time_idx" ON "audit_events"("username", "time");
CREATE INDEX "audit_events_source_ip_time_idx" ON "audit_events"("source_ip", "time");
CREATE INDEX "audit_events_pod_name_time_idx" ON "audit_events"("pod_name", "time");
CREATE INDEX "audit_events_resource_verb_time_idx" ON "audit_events"("resource", "verb", "time");

-- Each request's stages as they arrived, { "<stage>": <event> }: compressed, out of the scan path.
CREATE TABLE "audit_event_originals" (
    "event_id" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "cluster" TEXT NOT NULL,
    "originals" JSONB NOT NULL,
    CONSTRAINT "audit_event_originals_pkey" PRIMARY KEY ("event_id", "time", "cluster")
) PARTITION BY RANGE ("time");

CREATE TABLE "file_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('file_events_id_seq'),
    "cluster" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "path" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "types" TEXT[],
    "interactive" BOOLEAN,
    "process_name" TEXT,
    "process_executable" TEXT,
    "process_args" TEXT[],
    "process_pid" INTEGER,
    "process_user" TEXT,
    "container_id" TEXT,
    "pod_name" TEXT,
    "namespace" TEXT,
    "host_os" TEXT,
    "source_format" TEXT NOT NULL,
    "batch_id" UUID,
    "original" JSONB NOT NULL,
    CONSTRAINT "file_events_pkey" PRIMARY KEY ("id", "time", "cluster")
) PARTITION BY RANGE ("time");
ALTER SEQUENCE "file_events_id_seq" OWNED BY "file_events"."id";
CREATE UNIQUE INDEX "file_events_cluster_event_key_time_key" ON "file_events"("cluster", "event_key", "time");
CREATE INDEX "file_events_time_idx" ON "file_events"("time");
CREATE INDEX "file_events_pod_name_time_idx" ON "file_events"("pod_name", "time");

-- Originals compress with lz4 where the server has it (PostgreSQL built --with-lz4), else with pglz.
DO $$
BEGIN
  ALTER TABLE "audit_event_originals" ALTER COLUMN "originals" SET COMPRESSION lz4;
  ALTER TABLE "file_events" ALTER COLUMN "original" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available: originals are compressed with pglz';
END $$;

-- A (day, cluster) partition of each event table, created when missing: the day's (itself partitioned by
-- cluster), then the cluster's within it, each as a table of its own, then attached, because ATTACH
-- PARTITION takes a lock that concurrent readers and writers do not wait on (CREATE TABLE … PARTITION OF
-- takes one they do). Serialised, so two creators of the same partition do not collide.
CREATE FUNCTION vigil_partition_name(parent text, day date, cluster text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT parent || '_' || to_char(day, 'YYYYMMDD') || CASE WHEN cluster IS NULL THEN '' ELSE '_' || left(md5(cluster), 10) END
$$;

CREATE FUNCTION vigil_ensure_partitions(day date, cluster text) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  parent text;
  day_partition text;
  leaf text;
  created integer := 0;
  low timestamptz := day::timestamp AT TIME ZONE 'UTC';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('vigil_ensure_partitions'));
  FOREACH parent IN ARRAY ARRAY['audit_events', 'audit_event_originals', 'file_events'] LOOP
    day_partition := vigil_partition_name(parent, day, NULL);
    IF to_regclass(quote_ident(day_partition)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY LIST (cluster)',
        day_partition, parent);
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
        parent, day_partition, low, low + interval '1 day');
    END IF;
    leaf := vigil_partition_name(parent, day, cluster);
    CONTINUE WHEN to_regclass(quote_ident(leaf)) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION) WITH (%s)',
      leaf, parent, CASE WHEN parent = 'audit_events' THEN 'fillfactor = 90' ELSE 'toast_tuple_target = 128' END);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', day_partition, leaf, cluster);
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;

SELECT vigil_ensure_partitions(day, cluster)
  FROM (SELECT DISTINCT (time AT TIME ZONE 'UTC')::date AS day, cluster FROM "legacy_audit_events"
        UNION SELECT DISTINCT (time AT TIME ZONE 'UTC')::date, cluster FROM "legacy_file_events") days;

-- Each request once: the furthest stage's row, its gaps filled from the other stages, every stage's time kept.
CREATE TEMP TABLE staged_rows ON COMMIT DROP AS
  SELECT s.*, CASE s.stage WHEN 'RequestReceived' THEN 0 WHEN 'ResponseStarted' THEN 1 WHEN 'Panic' THEN 3 ELSE 2 END AS stage_rank
    FROM "legacy_audit_events" s;

INSERT INTO "audit_events" ("id", "cluster", "audit_id", "time", "received_at", "started_at", "completed_at",
    "panicked_at", "level", "verb", "username", "user_uid", "groups", "user_agent", "source_ips", "source_ip",
    "resource", "subresource", "namespace", "name", "api_group", "api_version", "request_uri", "response_code",
    "decision", "reason", "pod_name", "pod_uid", "node_name", "impersonated_user", "source_format", "batch_id")
SELECT g.id, b.cluster, b.audit_id, b.time, g.received_at, g.started_at, g.completed_at, g.panicked_at,
    coalesce(b.level, g.level), b.verb, coalesce(b.username, g.username), coalesce(b.user_uid, g.user_uid), b.groups,
    coalesce(b.user_agent, g.user_agent), b.source_ips, coalesce(b.source_ip, g.source_ip),
    coalesce(b.resource, g.resource), coalesce(b.subresource, g.subresource), coalesce(b.namespace, g.namespace),
    coalesce(b.name, g.name), coalesce(b.api_group, g.api_group), coalesce(b.api_version, g.api_version),
    coalesce(b.request_uri, g.request_uri), coalesce(b.response_code, g.response_code),
    coalesce(b.decision, g.decision), coalesce(b.reason, g.reason), coalesce(b.pod_name, g.pod_name),
    coalesce(b.pod_uid, g.pod_uid), coalesce(b.node_name, g.node_name),
    coalesce(b.impersonated_user, g.impersonated_user), b.source_format, b.batch_id
  FROM (SELECT DISTINCT ON (cluster, audit_id, time) * FROM staged_rows
         ORDER BY cluster, audit_id, time, stage_rank DESC, id) b
  JOIN (SELECT cluster, audit_id, time, min(id) AS id,
          max(coalesce(stage_time, time)) FILTER (WHERE stage_rank = 0) AS received_at,
          max(coalesce(stage_time, time)) FILTER (WHERE stage_rank = 1) AS started_at,
          max(coalesce(stage_time, time)) FILTER (WHERE stage_rank = 2) AS completed_at,
          max(coalesce(stage_time, time)) FILTER (WHERE stage_rank = 3) AS panicked_at,
          max(level) AS level, max(username) AS username, max(user_uid) AS user_uid, max(user_agent) AS user_agent,
          max(source_ip) AS source_ip, max(resource) AS resource, max(subresource) AS subresource,
          max(namespace) AS namespace, max(name) AS name, max(api_group) AS api_group,
          max(api_version) AS api_version, max(request_uri) AS request_uri, max(response_code) AS response_code,
          max(decision) AS decision, max(reason) AS reason, max(pod_name) AS pod_name, max(pod_uid) AS pod_uid,
          max(node_name) AS node_name, max(impersonated_user) AS impersonated_user
        FROM staged_rows GROUP BY cluster, audit_id, time) g USING (cluster, audit_id, time);

CREATE TEMP TABLE request_ids ON COMMIT DROP AS
  SELECT s.id AS old_id, s.stage, r.id AS id, r.time, r.cluster
    FROM staged_rows s JOIN "audit_events" r USING (cluster, audit_id, time);

INSERT INTO "audit_event_originals" ("event_id", "time", "cluster", "originals")
SELECT m.id, m.time, m.cluster, jsonb_object_agg(m.stage, o.original)
  FROM "legacy_audit_event_originals" o JOIN request_ids m ON m.old_id = o.event_id
 GROUP BY m.id, m.time, m.cluster;

INSERT INTO "file_events" ("id", "cluster", "event_key", "time", "path", "action", "types", "interactive",
    "process_name", "process_executable", "process_args", "process_pid", "process_user", "container_id", "pod_name",
    "namespace", "host_os", "source_format", "batch_id", "original")
SELECT "id", "cluster", "event_key", "time", "path", "action", "types", "interactive", "process_name",
    "process_executable", "process_args", "process_pid", "process_user", "container_id", "pod_name", "namespace",
    "host_os", "source_format", "batch_id", "original"
  FROM "legacy_file_events";

-- Evidence links now name requests; an alert counts requests.
CREATE TEMP TABLE old_links ON COMMIT DROP AS SELECT * FROM "alert_events";
DELETE FROM "alert_events";
INSERT INTO "alert_events" ("alert_id", "event_id")
SELECT DISTINCT l.alert_id, m.id FROM old_links l JOIN request_ids m ON m.old_id = l.event_id;

-- Alert evidence, copied when an alert links it (see lib/alerts/record-detected-alert.ts): it outlives
-- the partitions its events are dropped with.
CREATE TABLE "evidence_audit_events" (LIKE "audit_events");
ALTER TABLE "evidence_audit_events" ADD COLUMN "originals" JSONB;
ALTER TABLE "evidence_audit_events" ADD CONSTRAINT "evidence_audit_events_pkey" PRIMARY KEY ("id");
DO $$
BEGIN
  ALTER TABLE "evidence_audit_events" ALTER COLUMN "originals" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
CREATE TABLE "evidence_file_events" (LIKE "file_events" INCLUDING COMPRESSION);
ALTER TABLE "evidence_file_events" ADD CONSTRAINT "evidence_file_events_pkey" PRIMARY KEY ("id");

INSERT INTO "evidence_audit_events"
SELECT e.*, o.originals FROM "audit_events" e
  LEFT JOIN "audit_event_originals" o ON (o.event_id, o.time, o.cluster) = (e.id, e.time, e.cluster)
 WHERE e.id IN (SELECT "event_id" FROM "alert_events");
INSERT INTO "evidence_file_events"
SELECT f.* FROM "file_events" f WHERE f.id IN (SELECT "file_event_id" FROM "alert_file_events");
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "evidence_audit_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_file_events" ADD CONSTRAINT "alert_file_events_file_event_id_fkey" FOREIGN KEY ("file_event_id") REFERENCES "evidence_file_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A copy follows its row when a later stage completes the request (every column but the key).
CREATE FUNCTION vigil_refresh_audit_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "evidence_audit_events" v SET ("received_at", "started_at", "completed_at", "panicked_at", "level", "verb",
      "username", "user_uid", "groups", "user_agent", "source_ips", "source_ip", "resource", "subresource", "namespace",
      "name", "api_group", "api_version", "request_uri", "response_code", "decision", "reason", "pod_name", "pod_uid",
      "node_name", "impersonated_user", "source_format", "batch_id")
    = (n."received_at", n."started_at", n."completed_at", n."panicked_at", n."level", n."verb", n."username",
      n."user_uid", n."groups", n."user_agent", n."source_ips", n."source_ip", n."resource", n."subresource",
      n."namespace", n."name", n."api_group", n."api_version", n."request_uri", n."response_code", n."decision",
      n."reason", n."pod_name", n."pod_uid", n."node_name", n."impersonated_user", n."source_format", n."batch_id")
    FROM changed n WHERE v."id" = n."id";
  RETURN NULL;
END $$;
CREATE TRIGGER "audit_events_refresh_evidence" AFTER UPDATE ON "audit_events"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION vigil_refresh_audit_evidence();

CREATE FUNCTION vigil_refresh_original_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "evidence_audit_events" v SET "originals" = n."originals" FROM changed n WHERE v."id" = n."event_id";
  RETURN NULL;
END $$;
CREATE TRIGGER "audit_event_originals_refresh_evidence" AFTER UPDATE ON "audit_event_originals"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION vigil_refresh_original_evidence();

UPDATE "alerts" a SET "event_count" = (SELECT count(*) FROM "alert_events" WHERE "alert_id" = a.id)
  + (SELECT count(*) FROM "alert_file_events" WHERE "alert_id" = a.id);

-- A batch reports the requests it added as well as the records it stored, and the clusters it stored them under.
ALTER TABLE "ingest_batches" ADD COLUMN "requests" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ingest_batches" ADD COLUMN "clusters" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "ingest_batches" b SET "requests" = b."stored", "clusters" = ARRAY[b."cluster"] WHERE b."stored" > 0;

DROP TABLE "legacy_audit_event_originals", "legacy_audit_events", "legacy_file_events";
