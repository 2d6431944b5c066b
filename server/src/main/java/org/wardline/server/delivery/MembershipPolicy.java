package org.wardline.server.delivery;

import io.vertx.core.Future;
import org.wardline.protocol.mls.DeviceUri;

import java.util.UUID;

/**
 * Care-team authorization for conversations: may this device bring that user into a conversation (claim the
 * user's key packages, commit the user's devices in)? The delivery service asks before every claim and every
 * commit that adds members. The composition root uses {@link CareTeamMembershipPolicy}.
 */
public interface MembershipPolicy {
    Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser);

    /**
     * May this device commit that user's devices into the conversation of {@code groupId}? Asked for each user a
     * commit adds; by default the same answer as {@link #mayAdd}.
     */
    default Future<Boolean> mayAddTo(DeviceUri actor, UUID memberUser, byte[] groupId) {
        return mayAdd(actor, memberUser);
    }

    /** Name for logs ("care-team", …). */
    String name();
}
