-- Failed share-link verifications per source address in a fixed window (issue 9: clustering). Kept in
-- PostgreSQL so that every node counts the same failures: a client spreading its guesses over several
-- nodes meets one limit. Rows fade once their window is over (purged with the other expired share-link rows).
CREATE TABLE share_link_source_failures (
    source       text        PRIMARY KEY,
    window_start timestamptz NOT NULL,
    failures     integer     NOT NULL
);
CREATE INDEX share_link_source_failures_window ON share_link_source_failures (window_start);
