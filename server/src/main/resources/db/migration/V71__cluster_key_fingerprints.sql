-- Every node of a deployment must hold the same CA, audit signing key and sign-in keys (issue 9: clustering).
-- The first node to start records a fingerprint of each (public fingerprints, or a keyed check value for a
-- secret key: never the key); a node whose keys differ refuses to start instead of issuing certificates,
-- tokens or checkpoints the others cannot verify.
CREATE TABLE cluster_key_fingerprints (
    name        text        PRIMARY KEY,
    fingerprint text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
