-- Lifecycle of every stored file. Owned by wardline-storage (versions V10-V29).
-- PENDING: ciphertext being written or awaiting the DLP/malware verdict; never served.
-- COMMITTED: clean verdict; the ciphertext is in the committed bucket; served to authorised users.
-- QUARANTINED: blocked for review; the ciphertext was moved to the quarantine bucket, its key kept.
-- DELETED: ciphertext deleted and data key destroyed (crypto-erased); the row stays as a record.
CREATE TABLE stored_objects (
    object_id      uuid        PRIMARY KEY,
    owner_id       uuid        NOT NULL,
    state          text        NOT NULL
        CONSTRAINT stored_objects_state CHECK (state IN ('PENDING', 'COMMITTED', 'QUARANTINED', 'DELETED')),
    size_bytes     bigint      CONSTRAINT stored_objects_size CHECK (size_bytes >= 0),
    content_type   text,
    sha256         bytea       CONSTRAINT stored_objects_sha256 CHECK (octet_length(sha256) = 32),
    display_name   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    committed_at   timestamptz,
    quarantined_at timestamptz,
    deleted_at     timestamptz,
    CONSTRAINT stored_objects_committed_complete CHECK (
        state <> 'COMMITTED'
        OR (committed_at IS NOT NULL AND size_bytes IS NOT NULL AND sha256 IS NOT NULL AND content_type IS NOT NULL))
);

COMMENT ON COLUMN stored_objects.display_name IS
    'PHI: the file name the user gave. Kept only here, never in S3 keys, S3 metadata or logs; cleared on delete.';
COMMENT ON COLUMN stored_objects.content_type IS 'Detected from the content (magic bytes), not from the name.';
COMMENT ON COLUMN stored_objects.sha256 IS 'SHA-256 of the plaintext.';

CREATE INDEX stored_objects_owner ON stored_objects (owner_id) WHERE state = 'COMMITTED';
-- Finds uploads abandoned in PENDING (crash mid-upload) so they can be discarded.
CREATE INDEX stored_objects_pending ON stored_objects (created_at) WHERE state = 'PENDING';
