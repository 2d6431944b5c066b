-- TOTP (RFC 6238): the shared secret encrypted with the server's auth key (AES-256-GCM), and the last time
-- step accepted, so a code cannot be replayed within its step.
CREATE TABLE totp_credentials (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_encrypted bytea       NOT NULL,
    confirmed_at     timestamptz,
    last_step        bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Single-use recovery codes, stored as SHA-256 (each code carries 80 random bits).
CREATE TABLE recovery_codes (
    code_sha256 bytea PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    used_at     timestamptz
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
