-- One-time codes that let the first administrator claim a fresh installation. Only a SHA-256 of the code
-- (150 random bits) is kept; a code is single-use and expires.
CREATE TABLE bootstrap_codes (
    id          uuid PRIMARY KEY,
    code_sha256 bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
