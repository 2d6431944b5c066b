-- Remote wipe (issue 8, docs/adr/0006-remote-wipe.md). One row per device marked lost: the wipe command waits
-- (pending) until the device connects again, destroys its local state and confirms (confirmed). While a wipe is
-- pending, the device's stopped certificates stay off the CRL so that it can still reach the wipe endpoints, and
-- nothing else; once confirmed they go on the CRL like any revoked certificate.
CREATE TABLE device_wipes (
    device_id     uuid PRIMARY KEY REFERENCES devices (id),
    user_id       uuid        NOT NULL,
    requested_by  uuid        NOT NULL,
    requested_via text        NOT NULL CHECK (requested_via IN ('admin', 'owner')),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
    confirmed_at  timestamptz,
    CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
);
CREATE INDEX device_wipes_pending ON device_wipes (device_id) WHERE status = 'pending';
