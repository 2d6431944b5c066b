package org.wardline.server.delivery;

import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.wire.FrameType;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Operation;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place the messaging WebSocket's device → server frame types are declared as operations, each with
 * the permission it needs, through {@link RouteRegistry#operation} (so the role × operation matrix covers them).
 * Declaring fails when a device frame type has no permission here, so a new frame type cannot ship undeclared.
 */
public final class FrameOperations {
    /** Name prefix of the declared operations: {@code ws.send}, {@code ws.hello}, ... */
    public static final String PREFIX = "ws.";

    static final Map<FrameType, Permission> PERMISSIONS = new EnumMap<>(FrameType.class);

    static {
        // HELLO streams the inbox backlog; ACK deletes read entries; a receipt says a message was delivered/read.
        PERMISSIONS.put(FrameType.HELLO, Permission.MESSAGE_READ);
        PERMISSIONS.put(FrameType.ACK, Permission.MESSAGE_READ);
        PERMISSIONS.put(FrameType.RECEIPT, Permission.MESSAGE_READ);
        PERMISSIONS.put(FrameType.UPLOAD_KEY_PACKAGES, Permission.MESSAGE_SEND);
        PERMISSIONS.put(FrameType.CLAIM_KEY_PACKAGES, Permission.MESSAGE_SEND);
        PERMISSIONS.put(FrameType.CREATE_CONVERSATION, Permission.MESSAGE_SEND);
        PERMISSIONS.put(FrameType.COMMIT, Permission.MESSAGE_SEND);
        PERMISSIONS.put(FrameType.PROPOSAL, Permission.MESSAGE_SEND);
        PERMISSIONS.put(FrameType.SEND, Permission.MESSAGE_SEND);
    }

    private final Map<FrameType, Operation> operations;
    private final Authorizer authorizer;

    private FrameOperations(Map<FrameType, Operation> operations, Authorizer authorizer) {
        this.operations = operations;
        this.authorizer = authorizer;
    }

    /** Declares every device frame type on {@code routes}; fails on a device frame type without a permission. */
    static FrameOperations declare(RouteRegistry routes) {
        List<FrameType> missing = undeclared(PERMISSIONS);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("WebSocket frame types without a declared permission: " + missing);
        }
        Map<FrameType, Operation> ops = new EnumMap<>(FrameType.class);
        PERMISSIONS.forEach((type, permission) -> ops.put(type, routes.operation(name(type), permission, false)));
        return new FrameOperations(ops, routes.authorizer());
    }

    /** The device → server frame types {@code declared} has no permission for. */
    static List<FrameType> undeclared(Map<FrameType, Permission> declared) {
        List<FrameType> out = new ArrayList<>();
        for (FrameType t : FrameType.values()) {
            if (t.fromDevice() && !declared.containsKey(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public static String name(FrameType type) {
        return PREFIX + type.name().toLowerCase(Locale.ROOT);
    }

    /** The guard of one connection: decides each frame type for {@code principal}, audited. */
    FrameGuard guard(Principal principal, String sourceIp, String requestId) {
        return new FrameGuard(principal, sourceIp, requestId);
    }

    /**
     * Decides one connection's frames against its principal, established at upgrade. {@link #update} replaces the
     * account (roles, training) when it changes while the connection is open.
     */
    final class FrameGuard {
        private volatile Principal principal;
        private final String sourceIp;
        private final String requestId;

        private FrameGuard(Principal principal, String sourceIp, String requestId) {
            this.principal = principal;
            this.sourceIp = sourceIp;
            this.requestId = requestId;
        }

        java.util.UUID userId() {
            return principal.userId();
        }

        void update(org.wardline.server.account.User user) {
            Principal p = principal;
            principal = new Principal(user, p.session(), p.elevatedRoles(), p.teams(), p.breakGlassTeams(), p.today());
        }

        /** Why this connection may not send a frame of {@code type} now, or empty when it may. */
        Optional<ErrorCode> refusal(FrameType type) {
            Operation op = operations.get(type);
            if (op == null) {
                return Optional.of(ErrorCode.FORBIDDEN);
            }
            return authorizer.authorize(principal, op, sourceIp, requestId);
        }
    }
}
