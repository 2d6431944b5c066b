-- Per-object data keys (envelope encryption). Owned by wardline-storage (versions V10-V29).
-- A data key is a Tink streaming-AEAD keyset, stored only wrapped (encrypted) under a key-encryption key
-- (KEK) from the key provider. Destroying a row's wrapped key is crypto-erasure of its object: the
-- ciphertext in S3 can no longer be decrypted. PostgreSQL keeps dead row versions until VACUUM and backups
-- keep them until they expire, so erasure is complete once both have passed or the KEK that wrapped the
-- key is retired.
CREATE TABLE data_keys (
    object_id    uuid        PRIMARY KEY,
    wrapped_key  bytea,
    kek_id       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz,
    destroyed_at timestamptz,
    CONSTRAINT data_keys_live_or_destroyed CHECK (
        (destroyed_at IS NULL AND wrapped_key IS NOT NULL AND kek_id IS NOT NULL)
        OR (destroyed_at IS NOT NULL AND wrapped_key IS NULL AND kek_id IS NULL))
);

-- Rotation walks the live keys still wrapped under an old KEK, in object_id order.
CREATE INDEX data_keys_live_by_kek ON data_keys (kek_id, object_id) WHERE destroyed_at IS NULL;
