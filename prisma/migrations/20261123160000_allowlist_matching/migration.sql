-- Allowlist previews match CIDRs in SQL; a source IP that is not an address must not abort the query.
CREATE OR REPLACE FUNCTION vigil_try_inet(value text) RETURNS inet
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN value::inet;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- The allowlist page shows each entry's source alert; the alert page lists the entries made from it.
CREATE INDEX "allowlist_entries_source_alert_id_idx" ON "allowlist_entries"("source_alert_id");
