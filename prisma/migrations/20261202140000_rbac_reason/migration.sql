-- authorization.k8s.io/reason parsed at ingest (lib/rbac/parse-authorization-reason.ts): the binding that
-- allowed a request, its role and subject. Added on the parents: every (day, cluster) partition gets them.
-- reason_parsed: null when there is no reason, false when it is not an RBAC grant (kept verbatim in reason).
ALTER TABLE "audit_events"
    ADD COLUMN "rbac_binding_kind" TEXT,
    ADD COLUMN "rbac_binding_name" TEXT,
    ADD COLUMN "rbac_binding_namespace" TEXT,
    ADD COLUMN "rbac_role_kind" TEXT,
    ADD COLUMN "rbac_role_name" TEXT,
    ADD COLUMN "rbac_subject_kind" TEXT,
    ADD COLUMN "rbac_subject_name" TEXT,
    ADD COLUMN "rbac_subject_namespace" TEXT,
    ADD COLUMN "reason_parsed" BOOLEAN;

ALTER TABLE "evidence_audit_events"
    ADD COLUMN "rbac_binding_kind" TEXT,
    ADD COLUMN "rbac_binding_name" TEXT,
    ADD COLUMN "rbac_binding_namespace" TEXT,
    ADD COLUMN "rbac_role_kind" TEXT,
    ADD COLUMN "rbac_role_name" TEXT,
    ADD COLUMN "rbac_subject_kind" TEXT,
    ADD COLUMN "rbac_subject_name" TEXT,
    ADD COLUMN "rbac_subject_namespace" TEXT,
    ADD COLUMN "reason_parsed" BOOLEAN;
