-- Nonces Wardline hands out for OpenID Connect sign-in: the ID token must carry one, unused and unexpired.
-- Only SHA-256 of each nonce is kept.
CREATE TABLE oidc_nonces (
    nonce_sha256 bytea PRIMARY KEY,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
