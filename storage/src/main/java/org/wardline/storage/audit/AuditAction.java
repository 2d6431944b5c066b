package org.wardline.storage.audit;

/**
 * A stable dotted action code ({@code auth.signin.failed}, {@code file.downloaded}). Codes are part of the
 * audit record's contract with auditors and alert rules: add new ones, never rename old ones.
 *
 * @param code lower-case segments separated by dots, at least two segments, at most 64 characters
 */
public record AuditAction(String code) {
    public static final AuditAction SIGNIN_SUCCEEDED = new AuditAction("auth.signin.succeeded");
    public static final AuditAction SIGNIN_FAILED = new AuditAction("auth.signin.failed");
    public static final AuditAction SIGNOUT = new AuditAction("auth.signout");
    public static final AuditAction MFA_ENROLLED = new AuditAction("auth.mfa.enrolled");
    public static final AuditAction MFA_REMOVED = new AuditAction("auth.mfa.removed");
    public static final AuditAction TOKEN_REFUSED = new AuditAction("auth.token.refused");
    public static final AuditAction REFRESH_REUSED = new AuditAction("auth.refresh.reused");
    public static final AuditAction DEVICE_ENROLLED = new AuditAction("device.enrolled");
    public static final AuditAction DEVICE_REVOKED = new AuditAction("device.revoked");
    public static final AuditAction DEVICE_WIPED = new AuditAction("device.wiped");
    public static final AuditAction FILE_UPLOADED = new AuditAction("file.uploaded");
    public static final AuditAction FILE_VIEWED = new AuditAction("file.viewed");
    public static final AuditAction FILE_DOWNLOADED = new AuditAction("file.downloaded");
    public static final AuditAction FILE_EXPORTED = new AuditAction("file.exported");
    public static final AuditAction FILE_DELETED = new AuditAction("file.deleted");
    /** An upload that never finished (a crash mid-upload) was discarded: row, data key, ciphertext and parts. */
    public static final AuditAction FILE_UPLOAD_ABANDONED = new AuditAction("file.upload_abandoned");
    public static final AuditAction SHARELINK_CREATED = new AuditAction("sharelink.created");
    public static final AuditAction SHARELINK_OPENED = new AuditAction("sharelink.opened");
    public static final AuditAction SHARELINK_REVOKED = new AuditAction("sharelink.revoked");
    public static final AuditAction SHARELINK_UNLOCKED = new AuditAction("sharelink.unlocked");
    public static final AuditAction ROLE_GRANTED = new AuditAction("admin.role.granted");
    public static final AuditAction ROLE_REVOKED = new AuditAction("admin.role.revoked");
    public static final AuditAction USER_CREATED = new AuditAction("admin.user.created");
    public static final AuditAction USER_DISABLED = new AuditAction("admin.user.disabled");
    public static final AuditAction CONFIG_CHANGED = new AuditAction("admin.config.changed");
    public static final AuditAction BREAKGLASS_STARTED = new AuditAction("breakglass.started");
    public static final AuditAction BREAKGLASS_ENDED = new AuditAction("breakglass.ended");
    public static final AuditAction AUDIT_EXPORTED = new AuditAction("audit.exported");
    public static final AuditAction AUDIT_VERIFIED = new AuditAction("audit.verified");

    /** @throws IllegalArgumentException if the code is not a dotted lower-case code */
    public AuditAction {
        AuditCodes.require("action", code, AuditCodes.ACTION, AuditCodes.MAX_ACTION_LENGTH);
    }

    /** The action code, for example {@code file.downloaded}. */
    @Override
    public String toString() {
        return code;
    }
}
