-- The breach risk assessment of an incident (45 CFR 164.402(2): the four factors, the officer's answers as codes and
-- risk levels, the conclusion), the notification deadline and the notifications recorded as sent (issue 20).
CREATE TABLE incident_assessments (
    incident_id          uuid        PRIMARY KEY REFERENCES incidents (id),
    factors              jsonb       NOT NULL,
    conclusion           text        NOT NULL CHECK (conclusion IN ('breach', 'not_breach', 'low_probability')),
    affected_individuals integer     NOT NULL CHECK (affected_individuals >= 0),
    residents_by_state   jsonb       NOT NULL,
    deadline             timestamptz NOT NULL,
    assessed_by          uuid        NOT NULL,
    assessed_at          timestamptz NOT NULL
);

CREATE TABLE incident_notifications (
    id           uuid        PRIMARY KEY,
    incident_id  uuid        NOT NULL REFERENCES incidents (id),
    recipient    text        NOT NULL CHECK (recipient IN ('individuals', 'hhs', 'media', 'state_attorney_general')),
    method       text        NOT NULL,
    notified     integer     NOT NULL CHECK (notified >= 0),
    sent_at      timestamptz NOT NULL,
    recorded_by  uuid        NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX incident_notifications_by_incident ON incident_notifications (incident_id, sent_at);

-- Each reminder (30, 7 and 1 days before the deadline, and once it has passed) is raised once per incident.
CREATE TABLE incident_reminders (
    incident_id  uuid        NOT NULL REFERENCES incidents (id),
    days_before  integer     NOT NULL,
    raised_at    timestamptz NOT NULL,
    PRIMARY KEY (incident_id, days_before)
);
