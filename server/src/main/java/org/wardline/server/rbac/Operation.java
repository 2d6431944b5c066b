package org.wardline.server.rbac;

import org.wardline.protocol.ErrorCode;

import java.time.Instant;
import java.util.Optional;

/**
 * A non-HTTP operation (a WebSocket frame type such as {@code message.send}) and the permission it needs,
 * declared through {@link RouteRegistry#operation} so the role × operation matrix covers it too. The handler
 * calls {@link #check} with the connection's principal before acting.
 */
public record Operation(String name, Permission permission, boolean stepUp, java.time.Duration stepUpWindow) {

    /** Why {@code p} may not perform this operation now, or empty when it may. */
    public Optional<ErrorCode> check(Principal p, Instant now) {
        if (!p.grantedByRole(permission)) {
            return Optional.of(ErrorCode.FORBIDDEN);
        }
        if (permission.phi() && !p.trainingCurrent()) {
            return Optional.of(ErrorCode.TRAINING_EXPIRED);
        }
        if (stepUp && !p.secondFactorSince(now.minus(stepUpWindow))) {
            return Optional.of(ErrorCode.STEP_UP_REQUIRED);
        }
        return Optional.empty();
    }
}
