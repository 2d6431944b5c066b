-- Enrolled devices and every certificate Wardline's CA issued to them (issue 3).
-- user_id has no foreign key yet: the accounts module adds the users table and the constraint.
CREATE TABLE devices (
    id                 uuid PRIMARY KEY,
    user_id            uuid        NOT NULL,
    name               text        NOT NULL,
    platform           text        NOT NULL,
    serial             text        NOT NULL UNIQUE,  -- current certificate's serial, lowercase hex
    fingerprint        text        NOT NULL UNIQUE,  -- SHA-256 of the current certificate, colon hex
    enrolled_at        timestamptz NOT NULL DEFAULT now(),
    last_seen_at       timestamptz,
    not_after          timestamptz NOT NULL,         -- current certificate's expiry
    revoked_at         timestamptz,
    revocation_reason  text
);
CREATE INDEX devices_user_id ON devices (user_id);

-- One row per issued device certificate. A certificate stops working at stops_at: at once for a
-- revocation, after a grace period when a renewal supersedes it; NULL means "until it expires".
-- The CRL lists every row with stops_at in the past that has not expired yet.
CREATE TABLE device_certificates (
    serial       text PRIMARY KEY,
    device_id    uuid        NOT NULL REFERENCES devices (id),
    fingerprint  text        NOT NULL UNIQUE,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    not_after    timestamptz NOT NULL,
    stops_at     timestamptz,
    stop_reason  text
);
CREATE INDEX device_certificates_device_id ON device_certificates (device_id);
CREATE INDEX device_certificates_stops_at ON device_certificates (stops_at) WHERE stops_at IS NOT NULL;
