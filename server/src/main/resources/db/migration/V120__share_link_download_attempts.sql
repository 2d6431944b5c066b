-- A one-time download that did not complete may be tried again within a short window (issue 18): the session
-- counts its attempts so that abandoning a download again and again cannot turn one download into many.
ALTER TABLE share_link_sessions ADD COLUMN download_attempts integer NOT NULL DEFAULT 0;
