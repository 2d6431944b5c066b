-- Browser devices (issue 15, docs/adr/0015-browser-devices-dpop.md). A browser cannot present its key in a TLS
-- handshake, so it proves possession with DPoP proofs (RFC 9449) on the public listener instead. dpop_jkt is the
-- RFC 7638 JWK SHA-256 thumbprint of the key its certificate certifies; NULL for devices that use mutual TLS.
ALTER TABLE devices ADD COLUMN dpop_jkt text;
CREATE UNIQUE INDEX devices_dpop_jkt ON devices (dpop_jkt) WHERE dpop_jkt IS NOT NULL;
