-- The overview's secret-access chart reads the partial hours raw (sub-hour buckets, the edges of a
-- range). Secrets are a few percent of requests scattered over every heap page of a day: a partial index
-- holding what the chart reads answers by an index-only scan, and costs only the secret requests' inserts.
CREATE INDEX "audit_events_secret_time_idx" ON "audit_events" ("time") INCLUDE ("decision", "response_code")
  WHERE "resource" = 'secrets';
