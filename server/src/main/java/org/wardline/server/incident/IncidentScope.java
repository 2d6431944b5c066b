package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What an incident covers: the time range and the users, devices, files and share links concerned. An incident whose
 * officer has not set one covers its subject user, from 30 days before discovery until now.
 */
public record IncidentScope(Instant from, Instant to, List<UUID> users, List<UUID> devices, List<UUID> files, List<UUID> links) {
    static final int MAX_IDS = 1000;
    static final Duration DEFAULT_LOOKBACK = Duration.ofDays(30);

    public IncidentScope {
        users = List.copyOf(users);
        devices = List.copyOf(devices);
        files = List.copyOf(files);
        links = List.copyOf(links);
    }

    static IncidentScope parse(JsonObject body) {
        Instant from = instant(body.getValue("from"));
        Instant to = instant(body.getValue("to"));
        if (!from.isBefore(to)) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        return new IncidentScope(from, to, ids(body, "users"), ids(body, "devices"), ids(body, "files"), ids(body, "links"));
    }

    static IncidentScope byDefault(Incident i, Instant now) {
        return new IncidentScope(i.discoveredAt().minus(DEFAULT_LOOKBACK), now,
                i.subjectUserId() == null ? List.of() : List.of(i.subjectUserId()), List.of(), List.of(), List.of());
    }

    static IncidentScope of(Row r) {
        return new IncidentScope(r.getOffsetDateTime("from_at").toInstant(), r.getOffsetDateTime("to_at").toInstant(),
                List.of(r.getArrayOfUUIDs("users")), List.of(r.getArrayOfUUIDs("devices")), List.of(r.getArrayOfUUIDs("files")),
                List.of(r.getArrayOfUUIDs("links")));
    }

    public boolean isEmpty() {
        return users.isEmpty() && devices.isEmpty() && files.isEmpty() && links.isEmpty();
    }

    public JsonObject toJson() {
        return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("users", strings(users))
                .put("devices", strings(devices)).put("files", strings(files)).put("links", strings(links));
    }

    private static JsonArray strings(List<UUID> ids) {
        return new JsonArray(ids.stream().map(UUID::toString).toList());
    }

    private static Instant instant(Object v) {
        try {
            return Instant.parse(String.valueOf(v));
        } catch (DateTimeParseException e) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
    }

    private static List<UUID> ids(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray a) || a.size() > MAX_IDS) {
            throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
        }
        List<UUID> out = new ArrayList<>();
        for (Object o : a) {
            if (!(o instanceof String s)) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            try {
                out.add(UUID.fromString(s));
            } catch (IllegalArgumentException e) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
        }
        return out.stream().distinct().toList();
    }
}
