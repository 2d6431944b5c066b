-- Legal hold with a records custodian (ADR 0010): the custodian is an account with the records_custodian role;
-- a hold that requires a custodian names that account, whose enrolled devices are added to the conversations the
-- hold covers as visible MLS members.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN ('clinician', 'nurse', 'care_coordinator',
    'billing', 'admin', 'security_officer', 'auditor', 'records_custodian'));

-- The custodian each custodian-required hold names. A table of its own, not a column of legal_holds: on a fresh
-- database this migration runs before V80 creates legal_holds, so hold_id cannot reference it either; the store
-- writes both rows in one transaction and never deletes a hold.
CREATE TABLE legal_hold_custodians (
    hold_id           uuid PRIMARY KEY,
    custodian_user_id uuid NOT NULL REFERENCES users (id)
);
CREATE INDEX legal_hold_custodians_custodian ON legal_hold_custodians (custodian_user_id);
