-- What an incident covers (issue 20): a time range and the users, devices, files and share links concerned. The
-- disclosure list and the evidence package are drawn from it. Identifiers only.
CREATE TABLE incident_scopes (
    incident_id  uuid        PRIMARY KEY REFERENCES incidents (id),
    from_at      timestamptz NOT NULL,
    to_at        timestamptz NOT NULL,
    users        uuid[]      NOT NULL DEFAULT '{}',
    devices      uuid[]      NOT NULL DEFAULT '{}',
    files        uuid[]      NOT NULL DEFAULT '{}',
    links        uuid[]      NOT NULL DEFAULT '{}',
    set_by       uuid        NOT NULL,
    set_at       timestamptz NOT NULL,
    CHECK (from_at < to_at)
);
