package org.wardline.server.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Announces on the event bus that sessions ended (sign-out, sign-out everywhere, disabling, offboarding, MFA
 * reset, refresh-token reuse, idle logoff), so every node closes the long-lived connections those sessions
 * opened. Published, not sent: on a cluster each node holds its own connections.
 */
public final class SessionEnds {
    public static final String ADDRESS = "wardline.session.ended";
    /** Announces nothing: for stores used without a running server (tests of the store alone). */
    public static final SessionEnds NONE = new SessionEnds(null);

    /** One announcement: a single session, or every session of a user except {@code keep} (which may be null). */
    public record Ended(UUID sessionId, UUID userId, UUID keep) {
        static Ended from(JsonObject json) {
            return new Ended(uuid(json, "sessionId"), uuid(json, "userId"), uuid(json, "keep"));
        }

        JsonObject toJson() {
            JsonObject j = new JsonObject();
            if (sessionId != null) {
                j.put("sessionId", sessionId.toString());
            }
            if (userId != null) {
                j.put("userId", userId.toString());
            }
            if (keep != null) {
                j.put("keep", keep.toString());
            }
            return j;
        }

        /** Whether a session {@code id} of {@code user} is among those that ended. */
        public boolean covers(UUID id, UUID user) {
            if (sessionId != null) {
                return sessionId.equals(id);
            }
            return user.equals(userId) && !id.equals(keep);
        }

        private static UUID uuid(JsonObject json, String field) {
            String s = json.getString(field);
            return s == null ? null : UUID.fromString(s);
        }
    }

    private final Vertx vertx;

    public SessionEnds(Vertx vertx) {
        this.vertx = vertx;
    }

    void session(UUID sessionId) {
        publish(new Ended(sessionId, null, null));
    }

    void user(UUID userId, UUID keep) {
        publish(new Ended(null, userId, keep));
    }

    private void publish(Ended ended) {
        if (vertx != null) {
            vertx.eventBus().publish(ADDRESS, ended.toJson());
        }
    }

    /** Calls {@code listener} on this node for every announcement, from any node. */
    public void subscribe(Consumer<Ended> listener) {
        vertx.eventBus().<JsonObject>consumer(ADDRESS, m -> listener.accept(Ended.from(m.body())));
    }
}
