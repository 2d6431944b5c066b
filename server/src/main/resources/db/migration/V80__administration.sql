-- Administration (issue 8): retention policies, legal holds and access-review sign-offs. Versions V80-V89.

-- How long data is kept before the retention job deletes it, for the organisation (team_id NULL) or one
-- care team. A team's policy may only lengthen the organisation's (checked by the API); when several
-- apply to an item, the longest wins. Audit retention is organisation-wide and at least six years.
CREATE TABLE retention_policies (
    kind       text        NOT NULL CHECK (kind IN ('messages', 'files', 'share_links', 'audit')),
    team_id    uuid        REFERENCES teams (id) ON DELETE CASCADE,
    days       integer     NOT NULL CHECK (days > 0),
    updated_by uuid        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_policies_audit_org CHECK (kind <> 'audit' OR team_id IS NULL),
    CONSTRAINT retention_policies_audit_floor CHECK (kind <> 'audit' OR days >= 2192)
);
CREATE UNIQUE INDEX retention_policies_org ON retention_policies (kind) WHERE team_id IS NULL;
CREATE UNIQUE INDEX retention_policies_team ON retention_policies (kind, team_id) WHERE team_id IS NOT NULL;

-- A legal hold suspends deletion of everything it covers until it is released. matter is the case
-- reference the legal team gives (a short code, never a patient's name).
CREATE TABLE legal_holds (
    id              uuid        PRIMARY KEY,
    scope           text        NOT NULL CHECK (scope IN ('user', 'team', 'conversation')),
    user_id         uuid        REFERENCES users (id),
    team_id         uuid        REFERENCES teams (id),
    conversation_id bigint      REFERENCES conversations (id),
    matter          text        NOT NULL,
    custodian_required boolean  NOT NULL DEFAULT false,
    placed_by       uuid        NOT NULL,
    placed_at       timestamptz NOT NULL DEFAULT now(),
    released_by     uuid,
    released_at     timestamptz,
    CONSTRAINT legal_holds_one_subject CHECK (
        (scope = 'user' AND user_id IS NOT NULL AND team_id IS NULL AND conversation_id IS NULL)
        OR (scope = 'team' AND team_id IS NOT NULL AND user_id IS NULL AND conversation_id IS NULL)
        OR (scope = 'conversation' AND conversation_id IS NOT NULL AND user_id IS NULL AND team_id IS NULL))
);
-- At most one active hold per subject: a second one is a conflict, not a silent duplicate.
CREATE UNIQUE INDEX legal_holds_active_subject
    ON legal_holds (scope, coalesce(user_id::text, team_id::text, conversation_id::text)) WHERE released_at IS NULL;

-- Access reviews: each generated report is recorded with its digest; the reviewer's sign-off is recorded once.
CREATE TABLE access_reviews (
    id            uuid        PRIMARY KEY,
    generated_by  uuid        NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    report_sha256 bytea       NOT NULL CHECK (octet_length(report_sha256) = 32),
    users_reviewed integer    NOT NULL,
    signed_by     uuid,
    signed_at     timestamptz,
    decision      text        CHECK (decision IN ('approved', 'changes_required')),
    CONSTRAINT access_reviews_signed CHECK ((signed_by IS NULL) = (signed_at IS NULL) AND (signed_at IS NULL) = (decision IS NULL))
);
