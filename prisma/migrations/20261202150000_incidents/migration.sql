-- Incidents: alerts joined by an identity chain within a gap, regrouped by the worker after detection
-- (lib/incidents). Statuses and close reasons are the alerts' enums; everything else is checked in zod.
CREATE TABLE "incidents" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "close_reason" "CloseReason",
    "assignee_id" UUID,
    "first_alert_id" UUID,
    "first_event_at" TIMESTAMPTZ(6),
    "last_event_at" TIMESTAMPTZ(6),
    "alert_count" INTEGER NOT NULL DEFAULT 0,
    "merged_into" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "incidents_status_last_event_at_idx" ON "incidents"("status", "last_event_at" DESC);
CREATE INDEX "incidents_last_event_at_idx" ON "incidents"("last_event_at" DESC);
CREATE INDEX "incidents_assignee_id_idx" ON "incidents"("assignee_id");
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_merged_into_fkey" FOREIGN KEY ("merged_into") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- An alert is in at most one incident; a removed row keeps grouping from putting it back.
CREATE TABLE "incident_alerts" (
    "alert_id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "joined_with" UUID,
    "reason" TEXT,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "added_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_alerts_pkey" PRIMARY KEY ("alert_id")
);
CREATE INDEX "incident_alerts_incident_id_idx" ON "incident_alerts"("incident_id");
ALTER TABLE "incident_alerts" ADD CONSTRAINT "incident_alerts_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "incident_alerts" ADD CONSTRAINT "incident_alerts_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "incident_history" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" UUID NOT NULL,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_value" TEXT,
    "to_value" TEXT,
    "note" TEXT,
    "alert_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "incident_history_incident_id_created_at_idx" ON "incident_history"("incident_id", "created_at");
ALTER TABLE "incident_history" ADD CONSTRAINT "incident_history_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "incident_history" ADD CONSTRAINT "incident_history_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
