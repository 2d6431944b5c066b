package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * The admin API on the device listener, for an enrolled admin, security-officer or auditor device with a signed-in
 * session ({@link SignIn}; the access token is device-bound and renewed as needed; changes need a second factor
 * within the step-up window):
 * <pre>{@code
 * Admin admin = new Admin(device);
 * JsonNode dry = admin.retentionRun(true);           // what would go; deletes nothing
 * admin.setRetention("messages", null, 365);          // organisation-wide
 * admin.placeHold("user", userId.toString(), "LIT-2026-014", true);
 * JsonNode off = admin.offboard(userId, null);        // devices, sessions and share links revoked at once
 * }</pre>
 * Refusals throw {@link WardlineClientException} with the server's code ({@code retention.below_legal_floor} …).
 */
public final class Admin {
    private final DeviceIdentity device;

    public Admin(DeviceIdentity device) {
        this.device = Objects.requireNonNull(device);
    }

    public JsonNode retentionPolicies() {
        return json("GET", "/v1/admin/retention/policies", null);
    }

    /** Sets a retention policy; {@code team} null means the whole organisation. */
    public JsonNode setRetention(String kind, UUID team, long days) {
        ObjectNode body = Https.JSON.createObjectNode().put("days", days);
        if (team != null) {
            body.put("teamId", team.toString());
        }
        return json("PUT", "/v1/admin/retention/policies/" + segment(kind), body);
    }

    public JsonNode removeRetention(String kind, UUID team) {
        return json("DELETE", "/v1/admin/retention/policies/" + segment(kind) + (team == null ? "" : "?teamId=" + team), null);
    }

    /** Enforces retention now, or with {@code dryRun} lists what would go and changes nothing. */
    public JsonNode retentionRun(boolean dryRun) {
        return json("POST", dryRun ? "/v1/admin/retention/dry-run" : "/v1/admin/retention/run", null);
    }

    public JsonNode holds(boolean activeOnly) {
        return json("GET", "/v1/admin/legal-holds" + (activeOnly ? "?active=true" : ""), null);
    }

    /** Places a legal hold on a {@code user}, {@code team} or {@code conversation}; {@code matter} is a case reference code. */
    public JsonNode placeHold(String scope, String subjectId, String matter, boolean custodianRequired) {
        return json("POST", "/v1/admin/legal-holds", Https.JSON.createObjectNode().put("scope", scope)
                .put("subjectId", subjectId).put("matter", matter).put("custodianRequired", custodianRequired));
    }

    /**
     * Places a hold that requires the records custodian named by {@code custodianUserId} (null: the organisation's
     * designated custodian); the server refuses it with {@code legal_hold.no_custodian} when there is none.
     */
    public JsonNode placeHold(String scope, String subjectId, String matter, boolean custodianRequired, UUID custodianUserId) {
        var body = Https.JSON.createObjectNode().put("scope", scope).put("subjectId", subjectId).put("matter", matter)
                .put("custodianRequired", custodianRequired);
        if (custodianUserId != null) {
            body.put("custodianUserId", custodianUserId.toString());
        }
        return json("POST", "/v1/admin/legal-holds", body);
    }

    public JsonNode releaseHold(UUID holdId) {
        return json("POST", "/v1/admin/legal-holds/" + holdId + "/release", null);
    }

    public JsonNode users() {
        return json("GET", "/v1/admin/users", null);
    }

    /** Offboards {@code user}; their files go to {@code transferTo} when given, else stay. */
    public JsonNode offboard(UUID user, UUID transferTo) {
        ObjectNode body = Https.JSON.createObjectNode();
        if (transferTo != null) {
            body.put("transferFilesTo", transferTo.toString());
        }
        return json("POST", "/v1/admin/users/" + user + "/offboard", body);
    }

    public JsonNode enable(UUID user) {
        return json("POST", "/v1/admin/users/" + user + "/enable", null);
    }

    public JsonNode revokeDevice(UUID device) {
        return json("POST", "/v1/admin/devices/" + device + "/revoke", null);
    }

    /** Creates an account; {@code password} is the initial one the admin hands over (null: OIDC sign-in only). */
    public JsonNode createUser(String username, String email, String displayName, Secret<String> password,
                               java.util.Collection<String> roles, String trainingExpiresOn) {
        ObjectNode body = Https.JSON.createObjectNode().put("username", username);
        if (email != null) {
            body.put("email", email);
        }
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        if (password != null) {
            body.put("password", password.reveal());
        }
        if (trainingExpiresOn != null) {
            body.put("trainingExpiresOn", trainingExpiresOn);
        }
        roles.forEach(body.putArray("roles")::add);
        return json("POST", "/v1/admin/users", body);
    }

    /** Disables an account and ends its sessions at once (its devices stay enrolled: see {@link #offboard}). */
    public JsonNode disable(UUID user) {
        return json("POST", "/v1/admin/users/" + user + "/disable", null);
    }

    /** Replaces the user's roles. */
    public JsonNode setRoles(UUID user, java.util.Collection<String> roles) {
        ObjectNode body = Https.JSON.createObjectNode();
        roles.forEach(body.putArray("roles")::add);
        return json("PUT", "/v1/admin/users/" + user + "/roles", body);
    }

    /** Records completed HIPAA training, valid until {@code expiresOn} (ISO date). */
    public JsonNode recordTraining(UUID user, String expiresOn) {
        return json("PUT", "/v1/admin/users/" + user + "/training", Https.JSON.createObjectNode().put("expiresOn", expiresOn));
    }

    /** A one-time enrollment code (10 minutes) for a device of {@code user}. */
    public JsonNode enrollmentCode(UUID user) {
        return json("POST", "/v1/admin/users/" + user + "/enrollment-codes", null);
    }

    public JsonNode teams() {
        return json("GET", "/v1/admin/teams", null);
    }

    public JsonNode createTeam(String name) {
        return json("POST", "/v1/admin/teams", Https.JSON.createObjectNode().put("name", name));
    }

    public JsonNode addTeamMember(UUID team, UUID user) {
        return json("PUT", "/v1/admin/teams/" + team + "/members/" + user, null);
    }

    public JsonNode removeTeamMember(UUID team, UUID user) {
        return json("DELETE", "/v1/admin/teams/" + team + "/members/" + user, null);
    }

    /** Every enrolled device (or one user's), with its revocation and wipe status. */
    public JsonNode devices(UUID user) {
        return json("GET", "/v1/admin/devices" + (user == null ? "" : "?userId=" + user), null);
    }

    /** Marks a device lost: revoked at once, its local state destroyed when it next connects (ADR 0006). */
    public JsonNode wipeDevice(UUID device) {
        return json("POST", "/v1/admin/devices/" + device + "/wipe", null);
    }

    /** {@code pending} until the device confirmed its wipe, then {@code confirmed}. */
    public JsonNode wipeStatus(UUID device) {
        return json("GET", "/v1/admin/devices/" + device + "/wipe", null);
    }

    /** Raised security alerts, newest first; {@code openOnly} leaves out acknowledged ones. */
    public JsonNode alerts(boolean openOnly) {
        return json("GET", "/v1/admin/alerts" + (openOnly ? "?open=true" : ""), null);
    }

    public JsonNode acknowledgeAlert(UUID alert) {
        return json("POST", "/v1/admin/alerts/" + alert + "/ack", null);
    }

    /** Generates (and records) an access review: {@code json} or {@code csv}. */
    public String accessReview(String format) {
        return text("POST", "/v1/admin/reports/access-review?format=" + segment(format), null);
    }

    public JsonNode signOffAccessReview(UUID reviewId, String decision) {
        return json("POST", "/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                Https.JSON.createObjectNode().put("decision", decision));
    }

    /** The accounting of disclosures to one recipient address (sent in the body over TLS, never in the URL). */
    public String disclosures(String recipient, String format) {
        return text("POST", "/v1/admin/reports/disclosures?format=" + segment(format),
                Https.JSON.createObjectNode().put("recipient", recipient));
    }

    public String hipaaEvidence(String format) {
        return text("GET", "/v1/admin/reports/hipaa-evidence?format=" + segment(format), null);
    }

    /** The audit trail for {@code [from, to)} as {@code jsonl} or {@code csv}, as {@code wardline audit export} writes it. */
    public String auditExport(String from, String to, String format) {
        return text("GET", "/v1/admin/audit/export?from=" + segment(from) + "&to=" + segment(to) + "&format=" + segment(format), null);
    }

    private JsonNode json(String method, String path, ObjectNode body) {
        return Https.parse(text(method, path, body));
    }

    private String text(String method, String path, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(device.deviceUrl().resolve(path)).timeout(Https.TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = device.sendAuthorized(b);
        return r.body();
    }

    private static String segment(String s) {
        return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
    }
}
