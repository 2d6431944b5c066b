package org.wardline.protocol;

/**
 * The stable error codes Wardline sends to clients, with the HTTP status each maps to and a message a
 * person can act on. The message never carries request data, so it cannot carry PHI.
 */
public enum ErrorCode {
    BAD_REQUEST("request.invalid", 400, "The request is malformed."),
    UNAUTHENTICATED("auth.required", 401, "Sign in, then try again."),
    FORBIDDEN("auth.forbidden", 403, "You do not have permission for this action."),
    NOT_FOUND("resource.not_found", 404, "Nothing exists at this address."),
    METHOD_NOT_ALLOWED("request.method_not_allowed", 405, "This address does not accept that method."),
    PAYLOAD_TOO_LARGE("request.too_large", 413, "The request is larger than this server accepts."),
    RATE_LIMITED("request.rate_limited", 429, "Too many requests; wait a moment and try again."),
    INTERNAL("server.error", 500, "The server failed; the request ID identifies it in the server's log."),
    UNAVAILABLE("server.unavailable", 503, "A service the server depends on is down; try again shortly."),
    CONFLICT("resource.conflict", 409, "The request conflicts with the current state (a name or address in use, a changed record); reload and try again."),
    RANGE_NOT_SATISFIABLE("request.range_not_satisfiable", 416, "The requested byte range is outside the file."),
    UPLOAD_TRUNCATED("upload.truncated", 400, "The upload ended early; nothing was kept. Send the file again."),
    UPLOAD_BLOCKED("upload.blocked", 422, "The file is not allowed by policy; nothing was kept. The reasons list what was found."),
    UPLOAD_MALWARE("upload.malware", 422, "The file contains malware; nothing was kept."),
    UPLOAD_JUSTIFICATION_REQUIRED("upload.justification_required", 422,
            "The file holds sensitive data; send it again with a reason for sending it (that a reason was given is audited)."),
    SCANNER_UNAVAILABLE("upload.scanner_unavailable", 503, "Uploads are paused: the malware scanner is unavailable. Try again later."),
    STORAGE_UNAVAILABLE("storage.unavailable", 503, "File storage is unavailable; nothing was kept. Try again later."),
    AUDIT_UNAVAILABLE("audit.unavailable", 503,
            "Nothing was done: the audit trail cannot record this action right now. Try again shortly."),
    ROLE_SELF_GRANT("role.self_grant", 403, "Nobody grants a role to themselves; ask another administrator."),
    ROLE_APPROVAL_REQUIRED("role.approval_required", 403,
            "A privileged role (admin, security officer, auditor, records custodian) is granted only to someone holding "
                    + "an elevation to it that a second administrator approved; ask them to request one."),
    REVIEW_SIGNER_LISTED("accessreview.signer_listed", 403,
            "This access review lists a change to your own access; another reviewer must sign it off."),

    // Device identity: enrollment, renewal (issue 3).
    CSR_INVALID("enrollment.csr_invalid", 400,
            "The certificate request is not a well-formed, self-signed PKCS#10 request (PEM or DER)."),
    CSR_KEY_UNSUPPORTED("enrollment.csr_key_unsupported", 400,
            "The certificate request's key must be ECDSA on P-256 or P-384."),
    CSR_EXTENSIONS_REFUSED("enrollment.csr_extensions_refused", 400,
            "The certificate request asks for extensions; send a request without any, the server sets them."),
    ENROLLMENT_CODE_INVALID("enrollment.code_invalid", 403,
            "The enrollment code is not valid; ask an administrator for a new one."),
    ENROLLMENT_CODE_USED("enrollment.code_used", 403,
            "The enrollment code was already used; ask an administrator for a new one."),
    ENROLLMENT_CODE_EXPIRED("enrollment.code_expired", 403,
            "The enrollment code has expired; ask an administrator for a new one."),
    ENROLLMENT_CODE_WRONG_USER("enrollment.code_wrong_user", 403,
            "The enrollment code was issued to another user; it is now void."),
    RENEWAL_KEY_REUSED("renewal.key_reused", 400, "A renewal must carry a new key pair, not the current one."),
    DEVICE_NOT_ACTIVE("device.not_active", 403,
            "This device certificate is revoked, superseded or unknown; enroll the device again."),
    DEVICE_UNKNOWN("device.unknown", 404, "No enrolled device has that ID."),
    DEVICE_ALREADY_WIPED("device.already_wiped", 409, "That device is already marked lost; its wipe is pending or done."),
    DEVICE_WIPE_PENDING("device.wipe_pending", 403,
            "This device was marked lost: it may only fetch and confirm its wipe command."),
    NO_WIPE_PENDING("device.no_wipe_pending", 409, "No wipe is waiting for this device."),
    // Browser devices (issue 15): DPoP proofs (RFC 9449) instead of mutual TLS.
    DPOP_REQUIRED("dpop.required", 401,
            "This session is bound to a browser device: send each request with a DPoP proof from that device's key."),
    DPOP_INVALID("dpop.invalid", 401,
            "The DPoP proof was refused (bad signature, wrong method or address, too old, or not for this token); make a new one."),
    DPOP_REPLAYED("dpop.replayed", 401, "That DPoP proof was already used; make a new proof for every request."),

    // Messaging (protocol/PROTOCOL.md): sent in ERROR frames on the device WebSocket.
    PROTOCOL_MALFORMED("protocol.malformed", 400, "The frame could not be decoded; the client is out of date or faulty."),
    PROTOCOL_VERSION("protocol.version", 400, "This server does not speak that protocol version; update the client."),
    PROTOCOL_STATE("protocol.state", 400, "Send HELLO before anything else on a connection."),
    MLS_INVALID("mls.invalid", 400, "The MLS message is malformed or does not match the frame it came in."),
    KEY_PACKAGE_UNAVAILABLE("keypackage.unavailable", 404, "The device has no key package left; ask it to come online."),
    CONVERSATION_EXISTS("conversation.exists", 409, "A conversation with that group ID already exists."),
    NOT_A_MEMBER("conversation.not_member", 403, "This device is not a member of that conversation."),
    CONVERSATION_FROZEN("conversation.frozen", 409,
            "A security officer froze this conversation for an incident: nobody can be added and no file or link can be "
                    + "shared from it until the incident is closed. Its members can still message each other."),
    EPOCH_CONFLICT("conversation.epoch_conflict", 409, "Another commit won this epoch; process it, then retry."),
    WRONG_EPOCH("conversation.wrong_epoch", 409, "The message is for an epoch other than the conversation's current one."),
    REPLAY("message.replay", 409, "This message was already delivered."),
    ATTACHMENT_NOT_READY("attachment.not_ready", 409,
            "The file cannot be shared yet: it is still being checked, or it is held for review."),
    EXTERNAL_SENDER_MISMATCH("mls.external_sender_mismatch", 400,
            "The group names another MLS external sender than this server's; update the client."),

    // Accounts and access (issue 4).
    AUTH_FAILED("auth.failed", 401, "The sign-in details are wrong, or this account cannot sign in."),
    AUTH_LOCKED("auth.locked", 429, "Too many failed sign-ins; wait before trying again."),
    MFA_INVALID("auth.mfa_invalid", 401, "The code is wrong, expired or already used."),
    TOKEN_INVALID("auth.token_invalid", 401, "Your session is not valid; sign in again."),
    SESSION_IDLE("auth.session_idle", 401, "You were signed out after a period of inactivity; sign in again."),
    MFA_ENROLLMENT_REQUIRED("auth.mfa_enrollment_required", 403, "Set up a second factor before using this account."),
    STEP_UP_REQUIRED("auth.step_up_required", 403, "Confirm with your second factor, then try again."),
    TRAINING_EXPIRED("auth.training_expired", 403,
            "Your HIPAA training has expired; PHI access resumes when an administrator records the renewal."),
    PASSWORD_REJECTED("auth.password_rejected", 400,
            "Choose a password of 12 to 128 characters that is not a commonly used or breached password."),
    PASSKEY_INVALID("auth.passkey_invalid", 401,
            "The passkey answer was refused (expired, already used, or not for this account or site); try again."),
    PASSKEY_UNAVAILABLE("auth.passkey_unavailable", 409,
            "Passkeys need the server's public URL to name a host (not an IP address), and a passkey registered to this account."),
    LAST_SECOND_FACTOR("auth.last_second_factor", 409,
            "This is the account's last second factor and the account must have one; add another factor first."),

    // Share links and the patient page (issue 7).
    LINK_EXPIRED("link.expired", 410, "This link has expired. Ask the person who sent it for a new link."),
    LINK_REVOKED("link.revoked", 410,
            "The sender has withdrawn this link. Ask the person who sent it if you still need the document."),
    LINK_EXHAUSTED("link.exhausted", 410,
            "This link has been opened as many times as the sender allowed. Ask the person who sent it for a new link."),
    LINK_LOCKED("link.locked", 423,
            "Too many wrong codes were entered, so this link is now locked, and the person who sent it has been told. "
                    + "Ask them to unlock it or to send you a new link."),
    LINK_TOO_MANY_CODES("link.too_many_codes", 429,
            "We have sent as many codes as we can for now. Use the latest code we sent, or try again in an hour."),
    LINK_CODE_INVALID("link.code_invalid", 403,
            "That code is not right or has expired. Check the code and try again, or ask for a new code."),
    LINK_SESSION_REQUIRED("link.session_required", 401,
            "Your session has ended. Open the link again and enter a new code."),
    LINK_FILE_NOT_SHAREABLE("link.file_not_shareable", 422,
            "Policy does not allow this file to be shared outside Wardline."),
    LINK_JUSTIFICATION_REQUIRED("link.justification_required", 422,
            "The file holds sensitive data; to share it outside Wardline, send the request again with a justification, which is audited."),

    // Administration: retention, legal hold, offboarding, reports (issue 8).
    RETENTION_INVALID("retention.invalid", 400,
            "A retention period is a whole number of days from 1 to 36500 for messages, files, share links or audit."),
    RETENTION_BELOW_LEGAL_FLOOR("retention.below_legal_floor", 422,
            "Audit entries must be kept at least six years (2192 days, 45 CFR 164.316(b)(2)); choose a longer period."),
    RETENTION_CONFLICT("retention.conflict", 409,
            "A team's retention cannot be shorter than the organisation's for the same kind; lengthen it or change the organisation's."),
    LEGAL_HOLD_CONFLICT("legal_hold.conflict", 409,
            "An active legal hold already covers that subject, or the hold is already released; list the holds and use or release it."),
    UNKNOWN_USER("admin.unknown_user", 404, "No user has that ID; list the users and try again."),
    UNKNOWN_TEAM("admin.unknown_team", 404, "No care team has that ID; list the teams and try again."),
    UNKNOWN_CONVERSATION("admin.unknown_conversation", 404, "No conversation has that ID."),
    LEGAL_HOLD_NO_CUSTODIAN("legal_hold.no_custodian", 422,
            "The hold requires a records custodian, but none is designated: give an account the records_custodian role and enroll its device, or name one."),
    LEGAL_HOLD_CUSTODIAN_INVALID("legal_hold.custodian_invalid", 422,
            "The named custodian is not an active records-custodian account with an enrolled device, or several are designated and none was named."),

    // Incident response (issue 20).
    INCIDENT_INVALID("incident.invalid", 400,
            "An incident needs a known category, severity and reason code (see 'wardline admin incident --help'); free text is not accepted."),
    INCIDENT_UNKNOWN("incident.unknown", 404, "No incident has that ID; list the incidents and try again."),
    INCIDENT_UNKNOWN_ALERT("incident.unknown_alert", 404, "No alert has that ID; list the alerts and try again."),
    INCIDENT_ALERT_TAKEN("incident.alert_taken", 409, "An incident is already open for that alert; list the incidents and use it."),
    INCIDENT_TRANSITION_REFUSED("incident.transition_refused", 409,
            "The incident cannot move to that status from the one it has (open → contained → assessed → notified → closed); show it and try the next step."),
    INCIDENT_CLOSED("incident.closed", 409, "The incident is closed; nothing more is done on it. Open a new incident that refers to it."),
    INCIDENT_OWNER_INVALID("incident.owner_invalid", 422, "An incident's owner must be an active security officer."),
    INCIDENT_ALREADY_CONTAINED("incident.already_contained", 409,
            "That object was already contained on this incident, or is already in that state (disabled, revoked, wiped); show the incident's timeline."),
    INCIDENT_NOTHING_TO_CONTAIN("incident.nothing_to_contain", 404,
            "There is nothing of that kind to contain (no such device, link or file, or it belongs to another user); check the ID."),
    INCIDENT_DEADLINE_PAST("incident.deadline_past", 422,
            "A notification deadline must lie in the future and no later than 60 days after discovery (45 CFR 164.404(b))."),
    INCIDENT_ASSESSMENT_INCONSISTENT("incident.assessment_inconsistent", 422,
            "A low probability of compromise cannot be concluded while a factor is assessed high risk, and residents by state cannot exceed the individuals affected."),
    INCIDENT_ASSESSMENT_REQUIRED("incident.assessment_required", 409,
            "Record the breach risk assessment first: the next status depends on its conclusion and notifications."),
    INCIDENT_DRILL_NOT_DEV("incident.drill_not_dev", 409,
            "Drills run only against a dev installation (./wardline dev), never against one that holds real accounts and patients."),
    INCIDENT_DRILL_UNKNOWN_SCENARIO("incident.drill_unknown_scenario", 400,
            "There is no drill by that name; the scenarios are lost-device and misdirected-link (listed in 'scenarios')."),
    INCIDENT_NOTIFICATIONS_MISSING("incident.notifications_missing", 409,
            "The assessment requires notifications that are not recorded yet (individuals; HHS at 500 or more; the media above 500 residents of a state).");

    private final String code;
    private final int httpStatus;
    private final String message;

    ErrorCode(String code, int httpStatus, String message) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }

    private static final java.util.List<ErrorCode> GENERIC = java.util.List.of(BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN,
            NOT_FOUND, METHOD_NOT_ALLOWED, CONFLICT, PAYLOAD_TOO_LARGE, RANGE_NOT_SATISFIABLE, RATE_LIMITED, INTERNAL, UNAVAILABLE);

    /** The generic code for an HTTP status, or {@link #BAD_REQUEST} / {@link #INTERNAL} by the status's class. */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : GENERIC) {
            if (c.httpStatus == status) {
                return c;
            }
        }
        return status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
    }
}
