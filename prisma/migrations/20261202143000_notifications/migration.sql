-- Notifications (lib/notifications): destinations with encrypted secrets, routes, deliveries with every
-- attempt, and the events waiting for a digest. Kinds, modes and statuses are checked at the boundary
-- (lib/notifications/schemas.ts): Prisma's schema describer cannot read CHECK constraints.
-- CreateTable
CREATE TABLE "notification_destinations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT NOT NULL,
    "masked" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_destinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_routes" (
    "id" UUID NOT NULL,
    "destination_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "events" TEXT[],
    "min_severity" "Severity" NOT NULL,
    "rule_ids" TEXT[],
    "clusters" TEXT[],
    "namespaces" TEXT[],
    "mode" TEXT NOT NULL,
    "digest_minutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "destination_id" UUID NOT NULL,
    "route_id" UUID,
    "alert_id" UUID,
    "alert_ids" UUID[],
    "event" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(6),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status_code" INTEGER,
    "error" TEXT,
    "latency_ms" INTEGER NOT NULL,
    "response_excerpt" TEXT,

    CONSTRAINT "notification_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_digest_items" (
    "id" BIGSERIAL NOT NULL,
    "route_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "delivery_id" UUID,

    CONSTRAINT "notification_digest_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_routes_destination_id_idx" ON "notification_routes"("destination_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_alert_id_created_at_idx" ON "notification_deliveries"("alert_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_destination_id_created_at_idx" ON "notification_deliveries"("destination_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "notification_deliveries_status_created_at_idx" ON "notification_deliveries"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "notification_deliveries_created_at_idx" ON "notification_deliveries"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_event_key_destination_id_key" ON "notification_deliveries"("event_key", "destination_id");

-- CreateIndex
CREATE INDEX "notification_attempts_delivery_id_attempt_idx" ON "notification_attempts"("delivery_id", "attempt");

-- CreateIndex
CREATE INDEX "notification_digest_items_route_id_delivery_id_idx" ON "notification_digest_items"("route_id", "delivery_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_digest_items_route_id_event_key_key" ON "notification_digest_items"("route_id", "event_key");

-- AddForeignKey
ALTER TABLE "notification_routes" ADD CONSTRAINT "notification_routes_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "notification_destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "notification_destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "notification_routes"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "notification_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_digest_items" ADD CONSTRAINT "notification_digest_items_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "notification_routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_digest_items" ADD CONSTRAINT "notification_digest_items_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
