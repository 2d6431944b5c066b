-- Legal hold with a records custodian (ADR 0010): the custodian is an account with the records_custodian role;
-- a hold that requires a custodian names that account, whose enrolled devices are added to the conversations the
-- hold covers as visible MLS members.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN ('clinician', 'nurse', 'care_coordinator',
    'billing', 'admin', 'security_officer', 'auditor', 'records_custodian'));

ALTER TABLE legal_holds ADD COLUMN custodian_user_id uuid REFERENCES users (id);
-- Holds placed before this migration may require a custodian without naming one; new ones must name one.
ALTER TABLE legal_holds ADD CONSTRAINT legal_holds_custodian_named
    CHECK (NOT custodian_required OR custodian_user_id IS NOT NULL) NOT VALID;
