-- Incident response (issue 20). An incident and the timeline of everything done on it: who, when, which action,
-- on which object, for which reason. Only codes, identifiers and counts: the reason is a code from a fixed list
-- and the reference a case number, never free text that could carry a patient's name.
CREATE TABLE incidents (
    id               uuid PRIMARY KEY,
    reference        text        NOT NULL UNIQUE,
    category         text        NOT NULL,
    severity         text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status           text        NOT NULL CHECK (status IN ('open', 'contained', 'assessed', 'notified', 'closed')),
    owner_id         uuid        NOT NULL,
    opened_by        uuid        NOT NULL,
    opened_at        timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    discovered_at    timestamptz NOT NULL,
    alert_id         uuid UNIQUE REFERENCES security_alerts (id),
    subject_user_id  uuid,
    closed_at        timestamptz,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX incidents_by_status ON incidents (status, opened_at);

CREATE TABLE incident_timeline (
    id               bigserial PRIMARY KEY,
    incident_id      uuid        NOT NULL REFERENCES incidents (id),
    at               timestamptz NOT NULL,
    actor_user_id    uuid        NOT NULL,
    actor_device_id  uuid,
    action           text        NOT NULL,
    object_type      text,
    object_id        text,
    reason           text,
    details          jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_timeline_by_incident ON incident_timeline (incident_id, id);

-- One containment of one object per incident: a second is refused, and a failed one is removed so it can be retried.
CREATE TABLE incident_containments (
    incident_id      uuid        NOT NULL REFERENCES incidents (id),
    action           text        NOT NULL,
    object_type      text        NOT NULL,
    object_id        text        NOT NULL,
    reason           text        NOT NULL,
    contained_by     uuid        NOT NULL,
    contained_at     timestamptz NOT NULL,
    result           jsonb,
    PRIMARY KEY (incident_id, action, object_id)
);
