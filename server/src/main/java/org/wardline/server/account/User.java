package org.wardline.server.account;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/** An account as the rest of the server sees it; the password hash stays in {@link UserStore}. */
public record User(UUID id, String username, String email, String displayName, UserStatus status,
                   LocalDate trainingExpiresOn, Set<Role> roles) {

    public User {
        roles = Set.copyOf(roles);
    }

    /** HIPAA training is current on {@code today}; an account with no recorded training has none. */
    public boolean trainingCurrent(LocalDate today) {
        return trainingExpiresOn != null && !trainingExpiresOn.isBefore(today);
    }

    public JsonObject toJson() {
        JsonArray r = new JsonArray();
        roles.stream().map(Role::wireName).sorted().forEach(r::add);
        return new JsonObject().put("id", id.toString()).put("username", username).put("email", email)
                .put("displayName", displayName).put("status", status.wireName())
                .put("trainingExpiresOn", trainingExpiresOn == null ? null : trainingExpiresOn.toString())
                .put("roles", r);
    }
}
