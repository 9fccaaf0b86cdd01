-- Hourly rollups of audit_events (README, "Rollups"): per entity (user, source IP, pod, node) by verb, resource
-- and outcome; the secrets each touched; what each was seen with (user agents, source IPs, users, pods, nodes,
-- RBAC bindings); and per cluster. Kept in step by statement triggers in the writing transaction, so they never
-- drift from the events; retention drops partitions (no DELETE fires), so rollups outlive raw events.
-- Text key columns hold '' for NULL: ingest stores no empty string (normalize.ts), and '' keeps keys unique.

-- How a request ended: the one definition (lib/events/outcome-sql.ts calls it; SQL functions like it are inlined).
CREATE FUNCTION vigil_request_outcome(decision text, response_code integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN decision = 'forbid' OR response_code IN (401, 403) THEN 'forbidden'
    WHEN decision = 'allow' OR response_code BETWEEN 200 AND 399 THEN 'allowed' ELSE 'other' END
$$;

CREATE TABLE "entity_rollups" (
    "cluster" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_namespace" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "verb" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "entity_rollups_pkey" PRIMARY KEY ("cluster", "hour", "entity_kind", "entity_namespace", "entity_name", "verb", "resource", "outcome")
);
CREATE INDEX "entity_rollups_entity_hour_idx" ON "entity_rollups"("entity_kind", "entity_name", "entity_namespace", "hour");

CREATE TABLE "entity_secret_rollups" (
    "cluster" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_namespace" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "secret_namespace" TEXT NOT NULL,
    "secret_name" TEXT NOT NULL,
    "verb" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "entity_secret_rollups_pkey" PRIMARY KEY ("cluster", "hour", "entity_kind", "entity_namespace", "entity_name", "secret_namespace", "secret_name", "verb", "outcome")
);
CREATE INDEX "entity_secret_rollups_entity_hour_idx" ON "entity_secret_rollups"("entity_kind", "entity_name", "entity_namespace", "hour");

-- peer_kind: userAgent, sourceIp, username, pod (peer_namespace: its service account's), node.
CREATE TABLE "entity_peer_rollups" (
    "cluster" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_namespace" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "peer_kind" TEXT NOT NULL,
    "peer_namespace" TEXT NOT NULL,
    "peer_value" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "entity_peer_rollups_pkey" PRIMARY KEY ("cluster", "hour", "entity_kind", "entity_namespace", "entity_name", "peer_kind", "peer_namespace", "peer_value")
);
CREATE INDEX "entity_peer_rollups_entity_hour_idx" ON "entity_peer_rollups"("entity_kind", "entity_name", "entity_namespace", "hour");

-- The RBAC binding an allowed request went through; binding_kind '': a reason that did not parse.
CREATE TABLE "entity_binding_rollups" (
    "cluster" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "entity_kind" TEXT NOT NULL,
    "entity_namespace" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "binding_kind" TEXT NOT NULL,
    "binding_name" TEXT NOT NULL,
    "binding_namespace" TEXT NOT NULL,
    "role_kind" TEXT NOT NULL,
    "role_name" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "entity_binding_rollups_pkey" PRIMARY KEY ("cluster", "hour", "entity_kind", "entity_namespace", "entity_name", "binding_kind", "binding_name", "binding_namespace", "role_kind", "role_name")
);
CREATE INDEX "entity_binding_rollups_entity_hour_idx" ON "entity_binding_rollups"("entity_kind", "entity_name", "entity_namespace", "hour");

CREATE TABLE "cluster_rollups" (
    "cluster" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(6) NOT NULL,
    "resource" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "cluster_rollups_pkey" PRIMARY KEY ("cluster", "hour", "resource", "outcome")
);
CREATE INDEX "cluster_rollups_resource_hour_idx" ON "cluster_rollups"("resource", "hour");

-- The upsert of every rollup from a set of signed rows of audit_events (sign 1: added, -1: taken away), as a
-- format() template whose %s is that set: the trigger passes its transition tables, the backfill the table.
-- A request that leaves a group still counts in another with the same time (stage merges keep the time), so
-- least/greatest over a group's signed rows keep first/last seen right; groups left at 0 are deleted after.
-- Rows are written in key order, so concurrent writers lock them in one order.
CREATE FUNCTION vigil_rollup_statement() RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT $sql$
WITH changed AS MATERIALIZED (
  SELECT c.sign, c.cluster, c.time, date_trunc('hour', c.time, 'UTC') AS hour, c.verb,
      coalesce(c.resource, '') AS resource, vigil_request_outcome(c.decision, c.response_code) AS outcome,
      c.namespace, c.name, c.user_agent, c.source_ip, c.username, c.pod_name, c.node_name, c.reason_parsed,
      c.rbac_binding_kind, c.rbac_binding_name, c.rbac_binding_namespace, c.rbac_role_kind, c.rbac_role_name,
      -- lib/vocabulary/service-account.ts: a pod's token names its namespace.
      CASE WHEN c.username ~ '^system:serviceaccount:[^:]+:[^:]+$' THEN split_part(c.username, ':', 3) END AS sa_namespace
    FROM (%s) c
), entities AS MATERIALIZED (
  SELECT x.kind AS entity_kind, x.namespace AS entity_namespace, x.name AS entity_name, c.*
    FROM changed c CROSS JOIN LATERAL (VALUES ('user', '', c.username), ('ip', '', c.source_ip),
        ('pod', c.sa_namespace, c.pod_name), ('node', '', c.node_name)) AS x(kind, namespace, name)
   WHERE x.name IS NOT NULL AND x.namespace IS NOT NULL
), entity_counts AS (
  INSERT INTO entity_rollups AS r (cluster, hour, entity_kind, entity_namespace, entity_name, verb, resource, outcome,
      count, first_seen, last_seen)
  SELECT cluster, hour, entity_kind, entity_namespace, entity_name, verb, resource, outcome, sum(sign), min(time), max(time)
    FROM entities GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (cluster, hour, entity_kind, entity_namespace, entity_name, verb, resource, outcome) DO UPDATE
    SET count = r.count + excluded.count, first_seen = least(r.first_seen, excluded.first_seen),
        last_seen = greatest(r.last_seen, excluded.last_seen)
), secret_counts AS (
  INSERT INTO entity_secret_rollups AS r (cluster, hour, entity_kind, entity_namespace, entity_name, secret_namespace,
      secret_name, verb, outcome, count, first_seen, last_seen)
  SELECT cluster, hour, entity_kind, entity_namespace, entity_name, coalesce(namespace, ''), coalesce(name, ''), verb,
      outcome, sum(sign), min(time), max(time)
    FROM entities WHERE resource = 'secrets'
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (cluster, hour, entity_kind, entity_namespace, entity_name, secret_namespace, secret_name, verb, outcome)
  DO UPDATE SET count = r.count + excluded.count, first_seen = least(r.first_seen, excluded.first_seen),
        last_seen = greatest(r.last_seen, excluded.last_seen)
), peer_counts AS (
  INSERT INTO entity_peer_rollups AS r (cluster, hour, entity_kind, entity_namespace, entity_name, peer_kind,
      peer_namespace, peer_value, count, first_seen, last_seen)
  SELECT e.cluster, e.hour, e.entity_kind, e.entity_namespace, e.entity_name, p.kind, p.namespace, p.value,
      sum(e.sign), min(e.time), max(e.time)
    FROM entities e CROSS JOIN LATERAL (VALUES ('userAgent', '', e.user_agent), ('sourceIp', '', e.source_ip),
        ('username', '', e.username), ('pod', coalesce(e.sa_namespace, ''), e.pod_name), ('node', '', e.node_name))
        AS p(kind, namespace, value)
   WHERE p.value IS NOT NULL AND e.entity_kind <> 'node'
     AND (e.entity_kind, p.kind) NOT IN (('user', 'username'), ('ip', 'sourceIp'), ('pod', 'pod'))
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (cluster, hour, entity_kind, entity_namespace, entity_name, peer_kind, peer_namespace, peer_value)
  DO UPDATE SET count = r.count + excluded.count, first_seen = least(r.first_seen, excluded.first_seen),
        last_seen = greatest(r.last_seen, excluded.last_seen)
), binding_counts AS (
  INSERT INTO entity_binding_rollups AS r (cluster, hour, entity_kind, entity_namespace, entity_name, binding_kind,
      binding_name, binding_namespace, role_kind, role_name, count, first_seen, last_seen)
  SELECT e.cluster, e.hour, e.entity_kind, e.entity_namespace, e.entity_name, b.kind, b.name, b.namespace,
      b.role_kind, b.role_name, sum(e.sign), min(e.time), max(e.time)
    FROM entities e CROSS JOIN LATERAL (VALUES (
        CASE WHEN e.reason_parsed THEN e.rbac_binding_kind ELSE '' END,
        CASE WHEN e.reason_parsed THEN e.rbac_binding_name ELSE '' END,
        CASE WHEN e.reason_parsed THEN coalesce(e.rbac_binding_namespace, '') ELSE '' END,
        CASE WHEN e.reason_parsed THEN e.rbac_role_kind ELSE '' END,
        CASE WHEN e.reason_parsed THEN e.rbac_role_name ELSE '' END)) AS b(kind, name, namespace, role_kind, role_name)
   WHERE e.reason_parsed IS NOT NULL AND e.entity_kind <> 'node'
     AND b.kind IS NOT NULL AND b.name IS NOT NULL AND b.role_kind IS NOT NULL AND b.role_name IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ON CONFLICT (cluster, hour, entity_kind, entity_namespace, entity_name, binding_kind, binding_name, binding_namespace,
      role_kind, role_name)
  DO UPDATE SET count = r.count + excluded.count, first_seen = least(r.first_seen, excluded.first_seen),
        last_seen = greatest(r.last_seen, excluded.last_seen)
), cluster_counts AS (
  INSERT INTO cluster_rollups AS r (cluster, hour, resource, outcome, count, first_seen, last_seen)
  SELECT cluster, hour, resource, outcome, sum(sign), min(time), max(time)
    FROM changed GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (cluster, hour, resource, outcome) DO UPDATE
    SET count = r.count + excluded.count, first_seen = least(r.first_seen, excluded.first_seen),
        last_seen = greatest(r.last_seen, excluded.last_seen)
)
SELECT 1
$sql$ $fn$;

CREATE FUNCTION vigil_roll_up_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(vigil_rollup_statement(), CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM old_rows o'
    ELSE 'SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o' END);
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM entity_rollups r WHERE r.count <= 0
       AND (r.cluster, r.hour) IN (SELECT DISTINCT cluster, date_trunc('hour', time, 'UTC') FROM old_rows);
    DELETE FROM entity_secret_rollups r WHERE r.count <= 0
       AND (r.cluster, r.hour) IN (SELECT DISTINCT cluster, date_trunc('hour', time, 'UTC') FROM old_rows);
    DELETE FROM entity_peer_rollups r WHERE r.count <= 0
       AND (r.cluster, r.hour) IN (SELECT DISTINCT cluster, date_trunc('hour', time, 'UTC') FROM old_rows);
    DELETE FROM entity_binding_rollups r WHERE r.count <= 0
       AND (r.cluster, r.hour) IN (SELECT DISTINCT cluster, date_trunc('hour', time, 'UTC') FROM old_rows);
    DELETE FROM cluster_rollups r WHERE r.count <= 0
       AND (r.cluster, r.hour) IN (SELECT DISTINCT cluster, date_trunc('hour', time, 'UTC') FROM old_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "audit_events_roll_up_insert" AFTER INSERT ON "audit_events"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_roll_up_requests();
CREATE TRIGGER "audit_events_roll_up_update" AFTER UPDATE ON "audit_events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_roll_up_requests();
CREATE TRIGGER "audit_events_roll_up_delete" AFTER DELETE ON "audit_events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_roll_up_requests();

-- The requests stored before this migration.
DO $$ BEGIN
  EXECUTE format(vigil_rollup_statement(), 'SELECT 1 AS sign, e.* FROM audit_events e');
END $$;
