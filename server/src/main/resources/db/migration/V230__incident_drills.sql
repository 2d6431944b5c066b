-- Incident drills (issue 20, part 7): a rehearsal's incident is marked, so it is never listed, counted or reported as
-- a real one.
ALTER TABLE incidents ADD COLUMN drill boolean NOT NULL DEFAULT false;
