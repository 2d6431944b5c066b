package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.UUID;

/**
 * The incident API on the device listener, for an enrolled security-officer device with a signed-in session:
 * <pre>{@code
 * Incidents incidents = new Incidents(device);
 * JsonNode i = incidents.openFromAlert(alertId, null);
 * incidents.contain(UUID.fromString(i.path("id").asText()), Incidents.suspend(userId, "suspected_compromise"));
 * incidents.status(id, "contained");
 * }</pre>
 * Refusals throw {@link WardlineClientException} with the server's code ({@code incident.already_contained} …).
 */
public final class Incidents {
    private final DeviceIdentity device;

    public Incidents(DeviceIdentity device) {
        this.device = Objects.requireNonNull(device);
    }

    /** Opens an incident by hand; {@code subjectUser} and {@code discoveredAt} (ISO-8601 instant) may be null. */
    public JsonNode open(String category, String severity, UUID subjectUser, String discoveredAt) {
        ObjectNode body = Https.JSON.createObjectNode().put("category", category).put("severity", severity);
        if (subjectUser != null) {
            body.put("subjectUserId", subjectUser.toString());
        }
        if (discoveredAt != null) {
            body.put("discoveredAt", discoveredAt);
        }
        return json("POST", "/v1/admin/incidents", body);
    }

    /** Opens the incident for a raised alert; {@code severity} null keeps the alert's. */
    public JsonNode openFromAlert(UUID alert, String severity) {
        ObjectNode body = Https.JSON.createObjectNode().put("alertId", alert.toString());
        if (severity != null) {
            body.put("severity", severity);
        }
        return json("POST", "/v1/admin/incidents", body);
    }

    /** Incidents, newest first; {@code status} null for all. Drills are left out. */
    public JsonNode list(String status) {
        return list(status, false);
    }

    /** Incidents, newest first; {@code drills} lists the drills' incidents instead of the real ones. */
    public JsonNode list(String status, boolean drills) {
        String query = (status == null ? "" : "status=" + status + "&") + "drills=" + drills;
        return json("GET", "/v1/admin/incidents?" + query, null);
    }

    /**
     * Runs a drill ({@code lost-device} or {@code misdirected-link}) on a dev installation: a marked drill account (and,
     * for a misdirected link, a synthetic file shared with an address at {@code example.invalid}), an incident marked as
     * a drill, contained; answers the incident, what was staged, the containment, what was revoked and the times to
     * contain. Refused elsewhere ({@code incident.drill_not_dev}), and for another scenario
     * ({@code incident.drill_unknown_scenario}, naming those there are).
     */
    public JsonNode drill(String scenario) {
        return json("POST", "/v1/admin/incidents/drills", Https.JSON.createObjectNode().put("scenario", scenario));
    }

    /** One incident with its timeline and containments. */
    public JsonNode show(UUID incident) {
        return json("GET", "/v1/admin/incidents/" + incident, null);
    }

    public JsonNode status(UUID incident, String status) {
        return json("POST", "/v1/admin/incidents/" + incident + "/status", Https.JSON.createObjectNode().put("status", status));
    }

    public JsonNode assign(UUID incident, UUID owner) {
        return json("POST", "/v1/admin/incidents/" + incident + "/owner", Https.JSON.createObjectNode().put("ownerId", owner.toString()));
    }

    /** Takes one containment step; build {@code request} with the static methods below. */
    public JsonNode contain(UUID incident, ObjectNode request) {
        return json("POST", "/v1/admin/incidents/" + incident + "/containments", request);
    }

    /** Records the breach risk assessment ({@code assessment}: factors, conclusion, affectedIndividuals, residentsByState, deadline). */
    public JsonNode assess(UUID incident, ObjectNode assessment) {
        return json("POST", "/v1/admin/incidents/" + incident + "/assessment", assessment);
    }

    /** Records a notification sent: recipient individuals|hhs|media|state_attorney_general, method, how many, when. */
    public JsonNode notified(UUID incident, String recipient, String method, int notified, String sentAt) {
        return json("POST", "/v1/admin/incidents/" + incident + "/notifications", Https.JSON.createObjectNode().put("recipient", recipient)
                .put("method", method).put("notified", notified).put("sentAt", sentAt));
    }

    /** What was disclosed within the incident's scope, counted per patient. */
    public JsonNode disclosures(UUID incident) {
        return json("GET", "/v1/admin/incidents/" + incident + "/disclosures", null);
    }

    /** Seals the evidence package (its bytes are {@code package}, base64) and holds the users in scope. */
    public JsonNode evidence(UUID incident) {
        return json("POST", "/v1/admin/incidents/" + incident + "/evidence", null);
    }

    /** The incident report ({@code report}) and the same report signed ({@code signed}, base64 CMS). */
    public JsonNode report(UUID incident) {
        return json("GET", "/v1/admin/incidents/" + incident + "/report", null);
    }

    public JsonNode lessons(UUID incident, java.util.List<String> lessons) {
        ObjectNode body = Https.JSON.createObjectNode();
        lessons.forEach(body.putArray("lessons")::add);
        return json("POST", "/v1/admin/incidents/" + incident + "/lessons", body);
    }

    public static ObjectNode suspend(UUID user, String reason) {
        return step("suspend_account", reason).put("userId", user.toString());
    }

    public static ObjectNode revokeDevice(UUID device, String reason) {
        return step("revoke_device", reason).put("deviceId", device.toString());
    }

    /** Marks a device lost: it wipes itself at its next contact; its certificates and sessions end now. */
    public static ObjectNode wipeDevice(UUID device, String reason) {
        return step("wipe_device", reason).put("deviceId", device.toString());
    }

    /** Revokes links: {@code scope} is {@code link}, {@code file} or {@code user}. */
    public static ObjectNode revokeLinks(String scope, UUID id, String reason) {
        return switch (scope) {
            case "link" -> step("revoke_link", reason).put("linkId", id.toString());
            case "file" -> step("revoke_file_links", reason).put("fileId", id.toString());
            case "user" -> step("revoke_user_links", reason).put("userId", id.toString());
            default -> throw new IllegalArgumentException("scope is link, file or user");
        };
    }

    /** A legal hold on a {@code user}, {@code team} or {@code conversation}. */
    public static ObjectNode hold(String scope, String subjectId, String matter, String reason) {
        return step("legal_hold", reason).put("scope", scope).put("subjectId", subjectId).put("matter", matter);
    }

    /** Freezes a conversation (its numeric ID) until the incident is closed: nobody added, nothing shared from it. */
    public static ObjectNode freeze(long conversation, String reason) {
        return step("freeze_conversation", reason).put("conversationId", conversation);
    }

    private static ObjectNode step(String action, String reason) {
        return Https.JSON.createObjectNode().put("action", action).put("reason", reason);
    }

    private JsonNode json(String method, String path, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(device.deviceUrl().resolve(path)).timeout(Https.TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = device.sendAuthorized(b);
        return Https.parse(r.body());
    }
}
