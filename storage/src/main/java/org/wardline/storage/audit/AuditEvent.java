package org.wardline.storage.audit;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a request did, as handed to {@link AuditLog#record(AuditEvent)}. Every field is typed or a
 * validated short code, so PHI content (message text, file names, patient names, link secrets) has no
 * place to go. The time, sequence number and hashes are assigned when the entry is appended.
 *
 * @param actorUserId   the signed-in user, or null (an anonymous share-link recipient, a failed sign-in for an unknown account)
 * @param actorDeviceId the enrolled device, or null
 * @param sourceIp      the client address as seen by the server, or null for internal jobs
 * @param action        the dotted action code
 * @param objectType    what was acted on ({@code file}, {@code user}), or null
 * @param objectId      its identifier (a UUID or short code), or null
 * @param outcome       success, failure or denied
 * @param requestId     the request ID shown to the user in error responses, or null
 * @param flags         review and alert markers
 * @param details       small non-PHI facts
 */
public record AuditEvent(
        UUID actorUserId,
        UUID actorDeviceId,
        InetAddress sourceIp,
        AuditAction action,
        String objectType,
        String objectId,
        AuditOutcome outcome,
        String requestId,
        Set<AuditFlag> flags,
        AuditDetails details) {

    /** @throws IllegalArgumentException naming the field when a code is malformed */
    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        AuditCodes.optional("objectType", objectType, AuditCodes.OBJECT_TYPE, 32);
        AuditCodes.optional("objectId", objectId, AuditCodes.SHORT_CODE, AuditCodes.MAX_ID_LENGTH);
        AuditCodes.optional("requestId", requestId, AuditCodes.SHORT_CODE, AuditCodes.MAX_ID_LENGTH);
        if (objectId != null && objectType == null) {
            throw new IllegalArgumentException("audit field 'objectType' is required when 'objectId' is set");
        }
        flags = flags == null || flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        details = details == null ? AuditDetails.empty() : details;
    }

    public static Builder builder(AuditAction action, AuditOutcome outcome) {
        return new Builder(action, outcome);
    }

    /** Builds an {@link AuditEvent}; {@link #build()} validates. */
    public static final class Builder {
        private final AuditAction action;
        private final AuditOutcome outcome;
        private UUID actorUserId;
        private UUID actorDeviceId;
        private InetAddress sourceIp;
        private String objectType;
        private String objectId;
        private String requestId;
        private final EnumSet<AuditFlag> flags = EnumSet.noneOf(AuditFlag.class);
        private AuditDetails details = AuditDetails.empty();

        private Builder(AuditAction action, AuditOutcome outcome) {
            this.action = action;
            this.outcome = outcome;
        }

        public Builder actor(UUID userId, UUID deviceId) {
            this.actorUserId = userId;
            this.actorDeviceId = deviceId;
            return this;
        }

        public Builder actorUser(UUID userId) {
            this.actorUserId = userId;
            return this;
        }

        public Builder sourceIp(InetAddress address) {
            this.sourceIp = address;
            return this;
        }

        public Builder object(String type, UUID id) {
            return object(type, id.toString());
        }

        public Builder object(String type, String id) {
            this.objectType = type;
            this.objectId = id;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder flag(AuditFlag flag) {
            flags.add(flag);
            return this;
        }

        public Builder details(AuditDetails details) {
            this.details = details;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(actorUserId, actorDeviceId, sourceIp, action, objectType, objectId, outcome,
                    requestId, flags, details);
        }
    }
}
