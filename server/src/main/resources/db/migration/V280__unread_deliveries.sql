-- Deliveries a device acknowledged without reading them (ACK's UNREAD, issue 21): kept undecrypted on the device
-- with this reason. Identifiers and a reason code only: no payload, nothing a patient could be known by. The row
-- outlives the message (no foreign key to it), so an administrator still sees what a device could not read.
CREATE TABLE unread_deliveries (
    device_id       uuid        NOT NULL,
    message_id      bigint      NOT NULL,
    conversation_id bigint      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender_device   uuid        NOT NULL,
    reason          text        NOT NULL CHECK (reason IN ('undecryptable', 'epoch.earlier', 'conversation.unknown')),
    reported_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, message_id)
);
CREATE INDEX unread_deliveries_reported ON unread_deliveries (reported_at);
