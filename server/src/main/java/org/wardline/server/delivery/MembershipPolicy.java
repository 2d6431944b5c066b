package org.wardline.server.delivery;

import io.vertx.core.Future;
import org.wardline.protocol.mls.DeviceUri;

import java.util.UUID;

/**
 * Care-team authorization for conversations: may this device bring that user into a conversation (claim the
 * user's key packages, commit the user's devices in)? The delivery service asks before every claim and every
 * commit that adds members. RBAC supplies the real policy; until it is connected the composition root uses
 * {@link #permissive()}, which the server logs as a warning at start-up.
 */
public interface MembershipPolicy {
    Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser);

    /** Name for logs and health ("permissive", "rbac", …). */
    String name();

    /** Anyone may add anyone. For development, and until RBAC is connected. */
    static MembershipPolicy permissive() {
        return new MembershipPolicy() {
            @Override
            public Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser) {
                return Future.succeededFuture(true);
            }

            @Override
            public String name() {
                return "permissive";
            }
        };
    }
}
