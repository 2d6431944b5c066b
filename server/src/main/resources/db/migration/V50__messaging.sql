-- Messaging delivery service (protocol/PROTOCOL.md). Holds MLS ciphertext, key packages and routing data only:
-- no plaintext message content ever reaches these tables.

CREATE TABLE mls_key_packages (
    id          bigserial PRIMARY KEY,
    user_id     uuid        NOT NULL,
    device_id   uuid        NOT NULL,
    package     bytea       NOT NULL,
    last_resort boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mls_key_packages_claim ON mls_key_packages (device_id, last_resort, id);
CREATE INDEX mls_key_packages_user ON mls_key_packages (user_id);
CREATE UNIQUE INDEX mls_key_packages_one_last_resort ON mls_key_packages (device_id) WHERE last_resort;

CREATE TABLE conversations (
    id          bigserial PRIMARY KEY,
    group_id    bytea       NOT NULL UNIQUE,
    epoch       bigint      NOT NULL DEFAULT 0,
    ttl_seconds bigint      CHECK (ttl_seconds IS NULL OR ttl_seconds > 0),
    created_by  uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversation_members (
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    device_id       uuid   NOT NULL,
    user_id         uuid   NOT NULL,
    joined_epoch    bigint NOT NULL,
    removed_epoch   bigint,
    PRIMARY KEY (conversation_id, device_id)
);
CREATE INDEX conversation_members_device ON conversation_members (device_id);

-- kind: 1 commit, 2 welcome, 3 proposal, 4 application, 5 receipt (protocol DeliveryKind)
CREATE TABLE conversation_messages (
    id              bigserial PRIMARY KEY,
    conversation_id bigint      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind            smallint    NOT NULL,
    epoch           bigint      NOT NULL,
    sender_device   uuid        NOT NULL,
    sender_user     uuid        NOT NULL,
    payload         bytea       NOT NULL,
    added           text[]      NOT NULL DEFAULT '{}',
    removed         text[]      NOT NULL DEFAULT '{}',
    ref_message_id  bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz
);
CREATE INDEX conversation_messages_expiry ON conversation_messages (expires_at) WHERE expires_at IS NOT NULL;

-- SHA-256 of every accepted MLS message per conversation: replays are refused even after delivery.
CREATE TABLE conversation_message_digests (
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    digest          bytea  NOT NULL,
    PRIMARY KEY (conversation_id, digest)
);

CREATE TABLE device_inbox (
    seq        bigserial PRIMARY KEY,
    device_id  uuid        NOT NULL,
    message_id bigint      NOT NULL REFERENCES conversation_messages (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_inbox_device ON device_inbox (device_id, seq);
CREATE INDEX device_inbox_message ON device_inbox (message_id);
