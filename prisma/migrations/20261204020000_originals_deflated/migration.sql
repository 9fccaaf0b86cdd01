-- Originals are deflated by the application against a dictionary of the audit log's vocabulary
-- (lib/events/stored-originals.ts): a version byte, then the bytes. A ~1 KB record is below the size
-- PostgreSQL compresses, so as jsonb the originals were the largest part of a stored request.
-- What is stored already becomes version 0: its JSON text as it is.
ALTER TABLE "audit_event_originals"
  ALTER COLUMN "originals" TYPE BYTEA USING '\x00'::bytea || convert_to("originals"::text, 'UTF8');
ALTER TABLE "evidence_audit_events"
  ALTER COLUMN "originals" TYPE BYTEA USING '\x00'::bytea || convert_to("originals"::text, 'UTF8');
