-- Time-bound elevation: a role granted for a while, approved by someone other than the requester.
CREATE TABLE elevations (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        text        NOT NULL,
    reason      text        NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    approved_by uuid REFERENCES users (id),
    approved_at timestamptz,
    duration_minutes integer NOT NULL,
    expires_at  timestamptz
);
CREATE INDEX elevations_user ON elevations (user_id);

-- Break-glass: emergency access to one team's data, with a written reason, time-limited, reviewed after.
CREATE TABLE break_glass (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id     uuid        NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    reason      text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    reviewed_by uuid REFERENCES users (id),
    reviewed_at timestamptz,
    review_note text
);
CREATE INDEX break_glass_open ON break_glass (reviewed_at) WHERE reviewed_at IS NULL;
