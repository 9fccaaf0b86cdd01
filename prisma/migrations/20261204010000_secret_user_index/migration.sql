-- The windowed rules recompute a group (a user, with its source IP or user agent) by reading its secret
-- requests under the group's lock. Through (username, time) that walks every request of the user, and
-- the busiest identities (controllers, nodes) are mostly not secret requests: a partial index holds only
-- the secret ones, at the cost of only the secret requests' inserts.
CREATE INDEX "audit_events_secret_user_time_idx" ON "audit_events" ("username", "time") WHERE "resource" = 'secrets';
