-- Clinicians' e-mail addresses are sealed at rest like patients' contact details (V130, ADR 0019): AES-256-GCM
-- under the contacts column key, unique by their HMAC-SHA256 (trimmed, lower case) instead of lower(email). The
-- plaintext column stays only for rows written before this version, which AccountEmails seals at start-up before
-- any listener opens (then VACUUM FULL rewrites the table).
ALTER TABLE users ADD COLUMN email_sealed bytea, ADD COLUMN email_hmac bytea;
ALTER TABLE users ADD CONSTRAINT users_email_once CHECK (
    (email IS NULL OR email_sealed IS NULL) AND (email_sealed IS NULL) = (email_hmac IS NULL));
CREATE UNIQUE INDEX users_email_hmac_key ON users (email_hmac) WHERE email_hmac IS NOT NULL;
COMMENT ON COLUMN users.email IS 'Legacy plaintext, NULL once sealed at start-up. Never written.';
COMMENT ON COLUMN users.email_sealed IS 'Personal data, sealed: the account''s e-mail address.';
COMMENT ON COLUMN users.email_hmac IS 'HMAC-SHA256 of the trimmed, lower-case address (uniqueness).';
