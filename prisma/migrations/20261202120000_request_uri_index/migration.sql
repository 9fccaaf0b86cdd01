-- The explorer's request URI filter (exact, or a `*` wildcard after a fixed beginning) reads an index
-- instead of every row of the range. text_pattern_ops serves LIKE 'prefix%' whatever the collation; a
-- filter that starts with `*` still scans the days it spans (a trigram index would cost every insert).
CREATE INDEX "audit_events_request_uri_idx" ON "audit_events"("request_uri" text_pattern_ops);
