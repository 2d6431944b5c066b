-- WebAuthn (passkeys) as a second factor. The credential's public key (COSE, base64url) and the signature
-- counter the library checks for cloned authenticators; nothing here is secret.
CREATE TABLE webauthn_credentials (
    id            uuid PRIMARY KEY,
    credential_id text        NOT NULL UNIQUE,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    public_key    text        NOT NULL,
    sign_count    bigint      NOT NULL,
    aaguid        text        NOT NULL,
    fmt           text,
    flags         integer     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- Challenges the server issued: single use (used_at set atomically), short-lived, bound to one account and
-- one ceremony (register, sign_in, step_up).
CREATE TABLE webauthn_challenges (
    id         uuid PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('register', 'sign_in', 'step_up')),
    challenge  text        NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);
