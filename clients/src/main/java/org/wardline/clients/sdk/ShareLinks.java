package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Share links for one external recipient (a patient, a carer), on the device listener: create one for a file this
 * user uploaded, list them with their status, revoke one. The link URL carries a secret after {@code #}: whoever
 * holds it can ask for a one-time code sent to the recipient, so hand it only to that recipient.
 *
 * <pre>{@code
 * Files.StoredFile f = Files.upload(device, Path.of("letter.pdf"));
 * ShareLinks.Created link = ShareLinks.create(device,
 *         ShareLinks.Request.of(f.id(), ShareLinks.Recipient.email("patient@example.org")).withMaxOpens(2));
 * System.out.println(link.url());
 * }</pre>
 */
public final class ShareLinks {
    static final String PATH = "/v1/share-links";

    private ShareLinks() {
    }

    /** Who the link is for: codes go to this address. */
    public record Recipient(String kind, String address) {
        public Recipient {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(address);
        }

        /** A recipient who receives the one-time code by email. */
        public static Recipient email(String address) {
            return new Recipient("email", address);
        }

        /** A recipient by phone: the sender passes the code on (it is returned once, at creation). */
        public static Recipient phone(String number) {
            return new Recipient("phone", number);
        }
    }

    /** What the recipient may do: see watermarked pages only, or also download the file. */
    public enum Mode { VIEW, DOWNLOAD }

    /**
     * A link to create.
     *
     * @param expiresInHours hours until it expires, or null for the server's default (the server caps it)
     * @param maxOpens       how many times it may be opened, or null for the server's default
     * @param justification  why, when policy requires one for this file; or null
     */
    public record Request(String fileId, Recipient recipient, Integer expiresInHours, Integer maxOpens, Mode mode,
                          String justification) {
        public Request {
            Objects.requireNonNull(fileId);
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(mode);
        }

        /** A view-only link with the server's default expiry and open count. */
        public static Request of(String fileId, Recipient recipient) {
            return new Request(fileId, recipient, null, null, Mode.VIEW, null);
        }

        public Request withExpiresInHours(int hours) {
            return new Request(fileId, recipient, hours, maxOpens, mode, justification);
        }

        public Request withMaxOpens(int opens) {
            return new Request(fileId, recipient, expiresInHours, opens, mode, justification);
        }

        public Request withMode(Mode m) {
            return new Request(fileId, recipient, expiresInHours, maxOpens, m, justification);
        }

        public Request withJustification(String text) {
            return new Request(fileId, recipient, expiresInHours, maxOpens, mode, text);
        }
    }

    /**
     * A link just created. {@link #url()} (with its secret) and {@link #phoneCode()} are shown this once only:
     * the server keeps neither.
     */
    public record Created(String id, String url, Instant expiresAt, int maxOpens, String mode, Optional<String> phoneCode) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", expiresAt=" + expiresAt + ", maxOpens=" + maxOpens + ", mode=" + mode + "]";
        }
    }

    /**
     * A link as listed: no secret; the recipient masked ({@code p***@example.org}, {@code ***0137}); the file's name
     * (null once the file is gone or if it had none).
     */
    public record Link(String id, String fileId, String fileName, String recipientKind, String recipient, String mode,
                       Instant createdAt, Instant expiresAt, int maxOpens, int opens, String status) {
    }

    /**
     * Creates a link ({@code POST /v1/share-links}).
     *
     * @throws WardlineClientException with the server's code: {@code resource.not_found} (no such file of yours),
     *         {@code link.file_not_shareable}, {@code link.justification_required} (their message then says what
     *         was found: "Found: 1 name, 2 dates."), {@code request.invalid} …
     */
    public static Created create(DeviceIdentity device, Request request) {
        ObjectNode body = Https.JSON.createObjectNode().put("fileId", request.fileId());
        body.putObject("recipient").put(request.recipient().kind(), request.recipient().address());
        if (request.expiresInHours() != null) {
            body.put("expiresInHours", request.expiresInHours());
        }
        if (request.maxOpens() != null) {
            body.put("maxOpens", request.maxOpens());
        }
        body.put("mode", request.mode() == Mode.DOWNLOAD ? "download" : "view");
        if (request.justification() != null && !request.justification().isBlank()) {
            body.put("justification", request.justification().strip());
        }
        JsonNode json;
        try {
            json = device.postAuthorized(PATH, body);
        } catch (WardlineClientException e) {
            throw Files.withFindings(e);
        }
        return new Created(json.path("id").asText(), json.path("url").asText(),
                Instant.parse(json.path("expiresAt").asText()), json.path("maxOpens").asInt(), json.path("mode").asText(),
                json.hasNonNull("phoneCode") ? Optional.of(json.get("phoneCode").asText()) : Optional.empty());
    }

    /** This user's links ({@code GET /v1/share-links}), as the server sends them: each with its open history. */
    public static JsonNode listJson(DeviceIdentity device) {
        return Https.parse(device.sendAuthorized(HttpRequest.newBuilder(device.deviceUrl().resolve(PATH)).timeout(Https.TIMEOUT)
                .GET()).body());
    }

    /** This user's links, newest first as the server orders them. */
    public static List<Link> list(DeviceIdentity device) {
        List<Link> out = new ArrayList<>();
        listJson(device).path("links").forEach(l -> out.add(new Link(l.path("id").asText(), l.path("fileId").asText(),
                l.hasNonNull("fileName") ? l.get("fileName").asText() : null, l.path("recipientKind").asText(),
                l.path("recipient").asText(""), l.path("mode").asText(), Instant.parse(l.path("createdAt").asText()),
                Instant.parse(l.path("expiresAt").asText()), l.path("maxOpens").asInt(), l.path("opens").asInt(),
                l.path("status").asText())));
        return List.copyOf(out);
    }

    /**
     * Revokes a link ({@code POST /v1/share-links/:id/revoke}): it stops working at once, also for an open session.
     *
     * @throws WardlineClientException {@code resource.not_found} when no link of this user has that id
     */
    public static void revoke(DeviceIdentity device, String linkId) {
        requireId(linkId);
        device.sendAuthorized(HttpRequest.newBuilder(device.deviceUrl().resolve(PATH + "/" + linkId + "/revoke"))
                .timeout(Https.TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Lifts the lock of a link that locked after wrong codes ({@code POST /v1/share-links/:id/unlock}; as a security
     * officer, {@code /v1/admin/share-links/:id/unlock}). Needs a fresh second factor.
     *
     * @return whether the link was locked (false: it was not, nothing changed)
     * @throws WardlineClientException {@code resource.not_found} (no such link of yours), {@code auth.step_up_required}
     */
    public static boolean unlock(DeviceIdentity device, String linkId, boolean asOfficer) {
        requireId(linkId);
        String path = (asOfficer ? "/v1/admin/share-links/" : PATH + "/") + linkId + "/unlock";
        return Https.parse(device.sendAuthorized(HttpRequest.newBuilder(device.deviceUrl().resolve(path))
                .timeout(Https.TIMEOUT).POST(HttpRequest.BodyPublishers.noBody())).body()).path("unlocked").asBoolean();
    }

    private static void requireId(String linkId) {
        if (!linkId.matches("[0-9a-fA-F-]{36}")) {
            throw new WardlineClientException("client.invalid_id",
                    "\"" + linkId + "\" is not a link ID; see `wardline share list` for the IDs", null);
        }
    }
}
