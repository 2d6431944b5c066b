-- Expiring single-recipient share links (issue 7). Owned by the sharelink package (versions V60-V69).
-- The link secret (256 random bits, in the URL fragment only) is never stored: only its SHA-256.
-- One-time codes are stored as HMAC-SHA256 keyed by the link secret, so a stolen database cannot
-- even brute-force the 6-8 digit codes without the secret.
CREATE TABLE share_links (
    link_id         uuid        PRIMARY KEY,
    owner_id        uuid        NOT NULL,
    object_id       uuid        NOT NULL REFERENCES stored_objects (object_id),
    recipient_kind  text        NOT NULL CONSTRAINT share_links_kind CHECK (recipient_kind IN ('EMAIL', 'PHONE')),
    recipient       text        NOT NULL,
    mode            text        NOT NULL CONSTRAINT share_links_mode CHECK (mode IN ('VIEW', 'DOWNLOAD')),
    secret_sha256   bytea       NOT NULL CONSTRAINT share_links_secret CHECK (octet_length(secret_sha256) = 32),
    phone_code_mac  bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    max_opens       integer     NOT NULL CONSTRAINT share_links_max_opens CHECK (max_opens > 0),
    opens           integer     NOT NULL DEFAULT 0,
    failed_attempts integer     NOT NULL DEFAULT 0,
    locked_at       timestamptz,
    revoked_at      timestamptz,
    CONSTRAINT share_links_phone_code CHECK ((recipient_kind = 'PHONE') = (phone_code_mac IS NOT NULL))
);
COMMENT ON COLUMN share_links.recipient IS 'PHI: the patient''s email address or phone number. Never logged.';
CREATE INDEX share_links_owner ON share_links (owner_id, created_at DESC);
CREATE INDEX share_links_object ON share_links (object_id);

-- Emailed one-time codes: at most one live code per link (a new one replaces the old).
CREATE TABLE share_link_codes (
    link_id     uuid        PRIMARY KEY REFERENCES share_links (link_id) ON DELETE CASCADE,
    code_mac    bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    sent_count  integer     NOT NULL DEFAULT 1,
    window_start timestamptz NOT NULL DEFAULT now()
);

-- Verified browser sessions: the cookie carries 256 random bits; only their SHA-256 is kept.
CREATE TABLE share_link_sessions (
    token_sha256 bytea       PRIMARY KEY,
    link_id      uuid        NOT NULL REFERENCES share_links (link_id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    downloaded_at timestamptz
);
CREATE INDEX share_link_sessions_link ON share_link_sessions (link_id);

-- The open history the owner sees: outcomes only, no addresses or codes.
CREATE TABLE share_link_events (
    id          bigserial   PRIMARY KEY,
    link_id     uuid        NOT NULL REFERENCES share_links (link_id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text        NOT NULL,
    outcome     text        NOT NULL
);
CREATE INDEX share_link_events_link ON share_link_events (link_id, at);
