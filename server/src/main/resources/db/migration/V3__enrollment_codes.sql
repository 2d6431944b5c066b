-- One-time device enrollment codes (issue 3). Only a SHA-256 of the code (160 random bits) is kept;
-- a code is single-use, bound to one user and expires after ten minutes.
CREATE TABLE enrollment_codes (
    id           uuid PRIMARY KEY,
    code_sha256  bytea       NOT NULL UNIQUE,
    user_id      uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    device_id    uuid
);
CREATE INDEX enrollment_codes_user_id ON enrollment_codes (user_id);
