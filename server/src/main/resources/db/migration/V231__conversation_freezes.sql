-- A conversation frozen from an incident (containment freeze_conversation): no new members, no file shared into it,
-- no new share link of a file shared into it, for as long as the incident is not closed.
CREATE TABLE conversation_freezes (
    conversation_id bigint      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    incident_id     uuid        NOT NULL REFERENCES incidents (id),
    frozen_by       uuid        NOT NULL,
    frozen_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, incident_id)
);
CREATE INDEX conversation_freezes_by_incident ON conversation_freezes (incident_id);
