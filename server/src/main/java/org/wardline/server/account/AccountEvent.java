package org.wardline.server.account;

import org.wardline.storage.audit.AuditDetails;

import java.time.Instant;
import java.util.UUID;

/**
 * One auditable fact about accounts and access, in the audit trail's shape: who (user, device), from where,
 * what, on which object, the outcome and the request. {@code detail} is a short machine-readable reason
 * ({@code bad_password}, {@code refresh_reuse}) and never carries a secret, a code or PHI. {@code details} holds
 * structured facts where a short code cannot say them (the roles before and after a change); when present, the
 * audit entry takes them instead of {@code detail}.
 */
public record AccountEvent(Instant at, Type type, Outcome outcome, UUID actorUserId, UUID actorDeviceId, String sourceIp,
                           String objectType, String objectId, String requestId, String detail, AuditDetails details) {

    public AccountEvent {
        details = details == null ? AuditDetails.empty() : details;
    }

    public enum Outcome { SUCCESS, FAILURE, DENIED }

    public enum Type {
        BOOTSTRAP, SIGN_IN, SIGN_IN_MFA, SIGN_OUT, SIGN_OUT_EVERYWHERE, SESSION_IDLE_TIMEOUT, TOKEN_REJECTED,
        REFRESH, REFRESH_REUSE, MFA_ENROLLED, MFA_RESET, PASSWORD_CHANGED, MFA_RECOVERY_CODE_USED, STEP_UP, ACCESS_DENIED,
        USER_CREATED, USER_DISABLED, USER_ENABLED, ROLES_CHANGED, TRAINING_RECORDED, TEAM_CHANGED,
        ELEVATION_REQUESTED, ELEVATION_APPROVED, BREAK_GLASS_STARTED, BREAK_GLASS_ACCESS, BREAK_GLASS_REVIEWED, OIDC_LINKED,
        MFA_REMOVED
    }

    public static Builder of(Type type, Outcome outcome) {
        return new Builder(type, outcome);
    }

    /** Fluent construction so call sites name what they set. */
    public static final class Builder {
        private final Type type;
        private final Outcome outcome;
        private UUID user;
        private UUID device;
        private String ip;
        private String objectType;
        private String objectId;
        private String requestId;
        private String detail;
        private AuditDetails details;

        private Builder(Type type, Outcome outcome) {
            this.type = type;
            this.outcome = outcome;
        }

        public Builder actor(UUID userId, UUID deviceId) {
            this.user = userId;
            this.device = deviceId;
            return this;
        }

        public Builder source(String sourceIp, String requestId) {
            this.ip = sourceIp;
            this.requestId = requestId;
            return this;
        }

        public Builder object(String type, Object id) {
            this.objectType = type;
            this.objectId = id == null ? null : id.toString();
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder details(AuditDetails details) {
            this.details = details;
            return this;
        }

        public AccountEvent build() {
            return new AccountEvent(Instant.now(), type, outcome, user, device, ip, objectType, objectId, requestId, detail,
                    details);
        }
    }
}
