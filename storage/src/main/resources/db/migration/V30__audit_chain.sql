-- Tamper-evident audit trail (org.wardline.storage.audit).
--
-- audit_entries is an append-only hash chain: entry_hash = SHA-256(prev_hash || canonical encoding),
-- the encoding is specified in AuditCanonical's javadoc. audit_chain_head is a one-row table that
-- every append locks (SELECT ... FOR UPDATE) inside its transaction, so appends from any number of
-- writers and server nodes are serialized by PostgreSQL and the chain never forks.
-- audit_checkpoints holds signatures over (seq, entry_hash) made with the server's audit key.
--
-- Append-only enforcement: the triggers below raise on UPDATE, DELETE and TRUNCATE of entries and
-- checkpoints. A table owner or superuser can still disable them (ALTER TABLE ... DISABLE TRIGGER);
-- that is the attack `wardline audit verify` exists to detect. In production run the server as a
-- role that does not own these tables, so that it holds INSERT/SELECT only.

CREATE TABLE audit_chain_head (
    id                  smallint    PRIMARY KEY CHECK (id = 1),
    last_seq            bigint      NOT NULL CHECK (last_seq >= 0),
    last_hash           bytea       NOT NULL CHECK (octet_length(last_hash) = 32),
    last_checkpoint_seq bigint      NOT NULL DEFAULT 0,
    last_checkpoint_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit_entries (
    seq             bigint      PRIMARY KEY CHECK (seq > 0),
    occurred_at     timestamptz NOT NULL,
    actor_user_id   uuid,
    actor_device_id uuid,
    source_ip       text,
    action          text        NOT NULL,
    object_type     text,
    object_id       text,
    outcome         text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    request_id      text,
    flags           text        NOT NULL DEFAULT '',
    details         text        NOT NULL DEFAULT '{}',
    prev_hash       bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    entry_hash      bytea       NOT NULL CHECK (octet_length(entry_hash) = 32)
);

CREATE INDEX audit_entries_occurred_at ON audit_entries (occurred_at);
CREATE INDEX audit_entries_actor ON audit_entries (actor_user_id, occurred_at);

CREATE TABLE audit_checkpoints (
    seq             bigint      PRIMARY KEY CHECK (seq > 0),
    entry_hash      bytea       NOT NULL CHECK (octet_length(entry_hash) = 32),
    previous_seq    bigint      NOT NULL CHECK (previous_seq >= 0 AND previous_seq < seq),
    created_at      timestamptz NOT NULL,
    key_id          text        NOT NULL,
    algorithm       text        NOT NULL,
    signature       bytea       NOT NULL
);

CREATE FUNCTION audit_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entries_append_only
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_entries_no_truncate
    BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- The head may only move forward.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.last_seq < OLD.last_seq OR NEW.last_checkpoint_seq < OLD.last_checkpoint_seq THEN
        RAISE EXCEPTION 'audit chain head may only move forward' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_chain_head_forward_only
    BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries, audit_checkpoints FROM PUBLIC;
