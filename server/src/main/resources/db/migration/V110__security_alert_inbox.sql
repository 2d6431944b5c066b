-- Security alerts kept for the security officer to list and acknowledge (issue 16). Only what an alert's e-mail
-- and webhook carry: rule, severity, counts, identifiers and the audit entry behind it; no names, no typed text.
CREATE TABLE security_alerts (
    id               uuid PRIMARY KEY,
    rule             text        NOT NULL,
    severity         text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    audit_seq        bigint      NOT NULL,
    alert_count      bigint      NOT NULL,
    actor_user_id    uuid,
    object_type      text,
    object_id        text,
    summary          text        NOT NULL,
    raised_at        timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  uuid,
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX security_alerts_open ON security_alerts (raised_at) WHERE acknowledged_at IS NULL;
