-- Accounts: unique IDs, unique usernames and e-mail addresses (case-insensitive), Argon2id password hashes
-- (PHC string), status and the HIPAA-training expiry date that gates PHI access.
CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    username            text        NOT NULL,
    email               text,
    display_name        text,
    password_hash       text,
    status              text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    training_expires_on date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL CHECK (role IN ('clinician', 'nurse', 'care_coordinator', 'billing', 'admin',
                                          'security_officer', 'auditor')),
    PRIMARY KEY (user_id, role)
);

-- Care teams scope what a member sees (minimum necessary).
CREATE TABLE teams (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE team_members (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- Accounts linked to an OpenID Connect issuer by subject.
CREATE TABLE oidc_links (
    issuer  text NOT NULL,
    subject text NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
);

-- Failed sign-ins per account name and per source address, whether or not the account exists.
CREATE TABLE login_failures (
    key          text PRIMARY KEY,
    failures     integer     NOT NULL,
    last_failure timestamptz NOT NULL,
    locked_until timestamptz NOT NULL
);
