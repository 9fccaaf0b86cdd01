-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('open', 'acknowledged', 'closed');

-- CreateEnum
CREATE TYPE "CloseReason" AS ENUM ('true_positive', 'benign_positive', 'false_positive', 'duplicate', 'other');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'analyst', 'admin');

-- CreateEnum
CREATE TYPE "BatchSource" AS ENUM ('upload', 'webhook', 'cli', 'demo');

-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "ingest_batches" (
    "id" UUID NOT NULL,
    "source" "BatchSource" NOT NULL,
    "file_name" TEXT,
    "format" TEXT,
    "cluster" TEXT NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'running',
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "received" INTEGER NOT NULL DEFAULT 0,
    "stored" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "failure_reason" TEXT,
    "content_sha256" TEXT,
    "min_event_time" TIMESTAMPTZ(6),
    "max_event_time" TIMESTAMPTZ(6),
    "created_by_id" UUID,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "ingest_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "audit_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "stage_time" TIMESTAMPTZ(6),
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

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event_originals" (
    "event_id" BIGINT NOT NULL,
    "original" JSONB NOT NULL,

    CONSTRAINT "audit_event_originals_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "file_events" (
    "id" BIGSERIAL NOT NULL,
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

    CONSTRAINT "file_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "mitre" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "parameters" JSONB NOT NULL,
    "default_parameters" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_changes" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "from_value" JSONB,
    "to_value" JSONB,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_runs" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "range_from" TIMESTAMPTZ(6) NOT NULL,
    "range_to" TIMESTAMPTZ(6) NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "events_scanned" INTEGER NOT NULL DEFAULT 0,
    "alerts_created" INTEGER NOT NULL DEFAULT 0,
    "alerts_updated" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "rule_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(6) NOT NULL,
    "window_end" TIMESTAMPTZ(6) NOT NULL,
    "severity" "Severity" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "close_reason" "CloseReason",
    "assignee_id" UUID,
    "first_event_at" TIMESTAMPTZ(6) NOT NULL,
    "last_event_at" TIMESTAMPTZ(6) NOT NULL,
    "event_count" INTEGER NOT NULL,
    "cluster" TEXT,
    "username" TEXT,
    "source_ip" TEXT,
    "source_ips" TEXT[],
    "user_agent" TEXT,
    "pod_name" TEXT,
    "namespaces" TEXT[],
    "secret_names" TEXT[],
    "outcomes" TEXT[],
    "response_codes" INTEGER[],
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "alert_id" UUID NOT NULL,
    "event_id" BIGINT NOT NULL,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("alert_id","event_id")
);

-- CreateTable
CREATE TABLE "alert_file_events" (
    "alert_id" UUID NOT NULL,
    "file_event_id" BIGINT NOT NULL,

    CONSTRAINT "alert_file_events_pkey" PRIMARY KEY ("alert_id","file_event_id")
);

-- CreateTable
CREATE TABLE "alert_activity" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" UUID NOT NULL,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_value" TEXT,
    "to_value" TEXT,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allowlist_entries" (
    "id" UUID NOT NULL,
    "rule_id" TEXT,
    "conditions" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "author_id" UUID,
    "author_name" TEXT NOT NULL,
    "source_alert_id" UUID,
    "expires_at" TIMESTAMPTZ(6),
    "hit_count" BIGINT NOT NULL DEFAULT 0,
    "last_hit_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "allowlist_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "password_hash" TEXT,
    "disabled_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_agent" TEXT,
    "ip" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "expires_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ingest_batches_started_at_idx" ON "ingest_batches"("started_at" DESC);

-- CreateIndex
CREATE INDEX "ingest_batches_content_sha256_idx" ON "ingest_batches"("content_sha256");

-- CreateIndex
CREATE INDEX "audit_events_time_idx" ON "audit_events"("time");

-- CreateIndex
CREATE INDEX "audit_events_username_time_idx" ON "audit_events"("username", "time");

-- CreateIndex
CREATE INDEX "audit_events_source_ip_time_idx" ON "audit_events"("source_ip", "time");

-- CreateIndex
CREATE INDEX "audit_events_pod_name_time_idx" ON "audit_events"("pod_name", "time");

-- CreateIndex
CREATE INDEX "audit_events_namespace_pod_name_time_idx" ON "audit_events"("namespace", "pod_name", "time");

-- CreateIndex
CREATE INDEX "audit_events_resource_verb_time_idx" ON "audit_events"("resource", "verb", "time");

-- CreateIndex
CREATE INDEX "audit_events_batch_id_idx" ON "audit_events"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_cluster_audit_id_stage_key" ON "audit_events"("cluster", "audit_id", "stage");

-- CreateIndex
CREATE INDEX "file_events_time_idx" ON "file_events"("time");

-- CreateIndex
CREATE INDEX "file_events_pod_name_time_idx" ON "file_events"("pod_name", "time");

-- CreateIndex
CREATE INDEX "file_events_batch_id_idx" ON "file_events"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "file_events_cluster_event_key_key" ON "file_events"("cluster", "event_key");

-- CreateIndex
CREATE INDEX "rule_changes_rule_id_created_at_idx" ON "rule_changes"("rule_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "rule_runs_rule_id_started_at_idx" ON "rule_runs"("rule_id", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "alerts_identity_key" ON "alerts"("identity");

-- CreateIndex
CREATE INDEX "alerts_status_last_event_at_idx" ON "alerts"("status", "last_event_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_rule_id_last_event_at_idx" ON "alerts"("rule_id", "last_event_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_last_event_at_idx" ON "alerts"("last_event_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_username_idx" ON "alerts"("username");

-- CreateIndex
CREATE INDEX "alerts_source_ip_idx" ON "alerts"("source_ip");

-- CreateIndex
CREATE INDEX "alerts_pod_name_idx" ON "alerts"("pod_name");

-- CreateIndex
CREATE INDEX "alerts_assignee_id_idx" ON "alerts"("assignee_id");

-- CreateIndex
CREATE INDEX "alert_events_event_id_idx" ON "alert_events"("event_id");

-- CreateIndex
CREATE INDEX "alert_file_events_file_event_id_idx" ON "alert_file_events"("file_event_id");

-- CreateIndex
CREATE INDEX "alert_activity_alert_id_created_at_idx" ON "alert_activity"("alert_id", "created_at");

-- CreateIndex
CREATE INDEX "allowlist_entries_rule_id_idx" ON "allowlist_entries"("rule_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- AddForeignKey
ALTER TABLE "ingest_batches" ADD CONSTRAINT "ingest_batches_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event_originals" ADD CONSTRAINT "audit_event_originals_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "file_events" ADD CONSTRAINT "file_events_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_changes" ADD CONSTRAINT "rule_changes_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_changes" ADD CONSTRAINT "rule_changes_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_runs" ADD CONSTRAINT "rule_runs_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_file_events" ADD CONSTRAINT "alert_file_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_file_events" ADD CONSTRAINT "alert_file_events_file_event_id_fkey" FOREIGN KEY ("file_event_id") REFERENCES "file_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_activity" ADD CONSTRAINT "alert_activity_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_activity" ADD CONSTRAINT "alert_activity_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allowlist_entries" ADD CONSTRAINT "allowlist_entries_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allowlist_entries" ADD CONSTRAINT "allowlist_entries_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allowlist_entries" ADD CONSTRAINT "allowlist_entries_source_alert_id_fkey" FOREIGN KEY ("source_alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
