-- Files shared into a conversation (org.wardline.server.attachment). A grant says: this committed file was shared
-- into this conversation by this member. Any device that is a current member of the conversation
-- (conversation_members.removed_epoch IS NULL) may download the file; a removed device loses it at once.
-- The MLS message announcing the file is end-to-end encrypted; this table holds IDs only.
CREATE TABLE conversation_attachments (
    conversation_id  bigint      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    object_id        uuid        NOT NULL REFERENCES stored_objects (object_id) ON DELETE CASCADE,
    shared_by_user   uuid        NOT NULL,
    shared_by_device uuid        NOT NULL,
    shared_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, object_id)
);
CREATE INDEX conversation_attachments_object ON conversation_attachments (object_id);
