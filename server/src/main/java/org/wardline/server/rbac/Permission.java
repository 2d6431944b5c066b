package org.wardline.server.rbac;

/**
 * What an operation needs. {@code phi} permissions touch patient information: they need a current HIPAA
 * training record and make a second factor mandatory for the account. {@code changes} marks permissions that
 * change state, so a test can show that read-only roles (auditor) hold none of them.
 */
public enum Permission {
    /** No sign-in: sign-in itself, health, share-link pages. */
    PUBLIC(false, false),
    /** Any signed-in account, on its own account only: profile, second factors, sessions. */
    SELF(false, false),
    /**
     * Device listener only: the caller is an enrolled, unrevoked device, proven by its client certificate
     * (mutual TLS plus the device check) alone; the certificate's user is the actor. Kept for what concerns
     * the device itself and reveals no PHI: renewing its certificate (proven with the device key, and needed
     * when the user is not signed in, or renewal would depend on a live session) and {@code /v1/devices/me}
     * (the device's own enrollment record, which a client reads before it signs in). Every feature route
     * needs a session bound to the device and a real permission (ADR 0004).
     */
    ENROLLED_DEVICE(false, false),

    MESSAGE_READ(true, false),
    MESSAGE_SEND(true, true),
    FILE_READ(true, false),
    FILE_UPLOAD(true, true),
    SHARE_LINK_CREATE(true, true),
    PHI_EXPORT(true, false),
    BILLING_READ(true, false),
    BREAK_GLASS_INVOKE(true, true),
    ELEVATION_REQUEST(false, true),

    USER_READ(false, false),
    USER_MANAGE(false, true),
    ROLE_MANAGE(false, true),
    TEAM_MANAGE(false, true),
    TRAINING_RECORD(false, true),
    DEVICE_MANAGE(false, true),
    RETENTION_MANAGE(false, true),
    ELEVATION_APPROVE(false, true),
    BREAK_GLASS_REVIEW(false, true),
    ALERT_MANAGE(false, true),
    /** Sign off an access review (the reviewer's attestation is recorded). */
    ACCESS_REVIEW_SIGN_OFF(false, true),
    /** Open, contain, assess and close security incidents (issue 20): the security officer's alone. */
    INCIDENT_MANAGE(false, true),

    AUDIT_READ(false, false),
    AUDIT_EXPORT(false, false);

    private final boolean phi;
    private final boolean changes;

    Permission(boolean phi, boolean changes) {
        this.phi = phi;
        this.changes = changes;
    }

    public boolean phi() {
        return phi;
    }

    public boolean changes() {
        return changes;
    }
}
