-- Sign-in sessions. An access token names its session; a session ends on sign-out, idle timeout, absolute
-- expiry, a reused refresh token, or when its user is disabled.
CREATE TABLE sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id     uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    mfa_at        timestamptz,
    auth_method   text        NOT NULL,
    revoked_at    timestamptz,
    revoke_reason text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Opaque refresh tokens, kept as SHA-256 only. Each session is one rotation family: a token is used once;
-- presenting a used token again revokes the whole session.
CREATE TABLE refresh_tokens (
    token_sha256 bytea PRIMARY KEY,
    session_id   uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    used_at      timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
