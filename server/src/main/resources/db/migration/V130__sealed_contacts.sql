-- Patients' contact details are sealed at rest (issue 19; versions V130-V139). A share link's recipient is kept
-- AES-256-GCM encrypted under the contacts column key (ColumnCipher, an envelope data key in data_keys) and
-- looked up by its HMAC-SHA256; the plaintext column stays only for rows written before this version, which
-- ContactSealing seals at start-up before any listener opens (then VACUUM FULL rewrites the table).
ALTER TABLE share_links ADD COLUMN recipient_sealed bytea, ADD COLUMN recipient_hmac bytea;
ALTER TABLE share_links ALTER COLUMN recipient DROP NOT NULL;
ALTER TABLE share_links ADD CONSTRAINT share_links_recipient_once CHECK (
    (recipient IS NULL) <> (recipient_sealed IS NULL) AND (recipient_sealed IS NULL) = (recipient_hmac IS NULL));
COMMENT ON COLUMN share_links.recipient IS 'Legacy plaintext, NULL once sealed at start-up. Never written.';
COMMENT ON COLUMN share_links.recipient_sealed IS 'PHI, sealed: the patient''s e-mail address or phone number.';
COMMENT ON COLUMN share_links.recipient_hmac IS 'HMAC-SHA256 of the trimmed, lower-case recipient (disclosure lookups).';
CREATE INDEX share_links_recipient_hmac ON share_links (recipient_hmac);
