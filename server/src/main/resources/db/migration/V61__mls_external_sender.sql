-- The server as MLS external sender (docs/adr/0006-remote-wipe.md): conversations whose group names the server's
-- key in its external_senders extension, the latest leaf rosters committers report, and the external Remove
-- proposals pending for wiped devices. Routing data only: no message content.

ALTER TABLE conversations ADD COLUMN external_sender boolean NOT NULL DEFAULT false;

-- kind 12 in conversation_messages: an external Remove proposal the server signed (protocol DeliveryKind).

CREATE TABLE conversation_rosters (
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    epoch           bigint NOT NULL,
    leaf_index      int    NOT NULL CHECK (leaf_index >= 0),
    device_id       uuid   NOT NULL,
    user_id         uuid   NOT NULL,
    PRIMARY KEY (conversation_id, epoch, leaf_index)
);

CREATE TABLE mls_external_removals (
    conversation_id bigint      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    device_id       uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    issued_epoch    bigint,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, device_id)
);
