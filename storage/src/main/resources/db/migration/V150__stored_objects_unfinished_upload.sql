-- The S3 multipart upload writing a PENDING object's ciphertext: a crash mid-upload leaves its parts behind,
-- and the sweep of abandoned uploads aborts it by this id (S3 assigns it; not PHI).
ALTER TABLE stored_objects ADD COLUMN unfinished_upload text;
