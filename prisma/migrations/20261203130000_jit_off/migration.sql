-- No JIT for Vigil's sessions. The entity pages and charts join audit_events to ranges passed as arrays, which
-- the planner cannot size, so it costs a read of a few thousand rows in the hundreds of thousands and
-- JIT-compiles it: 3.6 s of LLVM work in a 3.7 s query at 10M events, where the read itself takes 40 ms.
-- Vigil's queries are short index reads; none gains from JIT. A role that may not alter the database keeps
-- the server's setting (the app still works, its busiest pages are slower).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'could not turn JIT off for this database (not its owner): entity pages may be slower';
END $$;
