package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Uploads files to Wardline over the device listener ({@code POST /v1/files}). The file is streamed from disk,
 * never held in memory; the server scans it for malware and checks it against the data-loss policy before keeping it.
 *
 * <pre>{@code
 * Files.StoredFile stored = Files.upload(DeviceIdentity.load(p12, passphrase), Path.of("discharge.pdf"));
 * String id = stored.id();   // for ShareLinks.create
 * }</pre>
 */
public final class Files {
    static final String PATH = "/v1/files";
    static final String FILE_NAME_HEADER = "X-Wardline-File-Name";
    static final String JUSTIFICATION_HEADER = "X-Wardline-Justification";
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private Files() {
    }

    /**
     * A file the server kept.
     *
     * @param id          the file's id (use it to create share links)
     * @param state       {@code committed}, or {@code quarantined} when it is held for review
     * @param size        its size in bytes
     * @param sha256      its SHA-256, hex
     * @param contentType the content type the server recorded
     * @param reasons     the policy findings (codes) that did not block the upload; often empty
     */
    public record StoredFile(String id, String state, long size, String sha256, String contentType, List<String> reasons) {
        /** True when the file is stored and usable now (not held for review). */
        public boolean committed() {
            return "committed".equals(state);
        }
    }

    /** Uploads {@code file}, guessing its content type from its name. See {@link #upload(DeviceIdentity, Path, String, String)}. */
    public static StoredFile upload(DeviceIdentity device, Path file) {
        return upload(device, file, null, null);
    }

    /**
     * Uploads {@code file}, streaming it from disk. Its name (not its folder) travels with it.
     *
     * @param contentType   the content type to declare, or null to guess from the name
     * @param justification why a file the policy flags must still be sent, or null; required only when the
     *                      server answers {@code upload.justification_required}
     * @return the stored file
     * @throws WardlineClientException {@code client.file_not_found} / {@code client.file_unreadable} when the file
     *         cannot be read here; otherwise the server's code and message: {@code upload.malware},
     *         {@code upload.blocked} (the message then lists the policy findings), {@code upload.justification_required},
     *         {@code request.too_large}, {@code upload.scanner_unavailable} …
     */
    public static StoredFile upload(DeviceIdentity device, Path file, String contentType, String justification) {
        return upload(device::sendAuthorized, device.deviceUrl(), file, contentType, justification);
    }

    /** @param sender sends the request with the device session's bearer token */
    static StoredFile upload(java.util.function.Function<HttpRequest.Builder, HttpResponse<String>> sender,
                             java.net.URI deviceUrl, Path file, String contentType, String justification) {
        HttpRequest.BodyPublisher body = body(file);
        String type = contentType != null ? contentType : guessType(file);
        HttpRequest.Builder request = HttpRequest.newBuilder(deviceUrl.resolve(PATH)).timeout(UPLOAD_TIMEOUT)
                .header("Content-Type", type).POST(body);
        Path name = file.getFileName();
        if (name != null) {
            request.header(FILE_NAME_HEADER, base64url(name.toString()));
        }
        if (justification != null && !justification.isBlank()) {
            request.header(JUSTIFICATION_HEADER, base64url(justification.strip()));
        }
        HttpResponse<String> r;
        try {
            r = sender.apply(request);
        } catch (WardlineClientException e) {
            throw withFindings(e);
        }
        JsonNode json = Https.parse(r.body());
        return new StoredFile(json.path("id").asText(), json.path("state").asText(), json.path("size").asLong(-1),
                json.path("sha256").asText(null), json.path("contentType").asText(null), reasons(json));
    }

    /**
     * Takes back a file this user uploaded within the last hour that nothing uses yet ({@code DELETE /v1/files/:id}):
     * what a share the server refused leaves behind. A quarantined copy is kept by the server.
     *
     * @throws WardlineClientException {@code resource.conflict} when the file is in use, quarantined or under hold
     */
    public static void withdraw(DeviceIdentity device, String fileId) {
        device.sendAuthorized(HttpRequest.newBuilder(device.deviceUrl().resolve(PATH + "/" + fileId))
                .timeout(Https.TIMEOUT).DELETE());
    }

    /**
     * Checks, before anything else is asked of the user, that {@code file} can be uploaded from here.
     *
     * @throws WardlineClientException {@code client.file_not_found} or {@code client.file_unreadable}
     */
    public static void requireReadable(Path file) {
        body(file);
        if (!java.nio.file.Files.isReadable(file)) {
            throw new WardlineClientException("client.file_unreadable",
                    "cannot read " + file + ": you do not have permission to open it", null);
        }
    }

    private static HttpRequest.BodyPublisher body(Path file) {
        if (!java.nio.file.Files.exists(file)) {
            throw new WardlineClientException("client.file_not_found",
                    "there is no file " + file + " — check the name and the folder", null);
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new WardlineClientException("client.file_unreadable", file + " is not a file (a folder?)", null);
        }
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new WardlineClientException("client.file_unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String guessType(Path file) {
        try {
            return Optional.ofNullable(java.nio.file.Files.probeContentType(file)).orElse("application/octet-stream");
        } catch (IOException e) {
            return "application/octet-stream";
        }
    }

    private static String base64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> reasons(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.path("verdict").path("reasons").forEach(r -> out.add(r.path("code").asText()));
        return List.copyOf(out);
    }

    /** Refusals for PHI whose message names what the policy found. */
    private static final Set<String> PHI_REFUSALS = Set.of("upload.blocked",
            "upload.justification_required", "link.file_not_shareable", "link.justification_required");

    /**
     * A refused upload's or share link's message names what the policy found (categories and counts: never the
     * matched text).
     */
    static WardlineClientException withFindings(WardlineClientException e) {
        if (!PHI_REFUSALS.contains(e.errorCode())) {
            return e;
        }
        String counted = e.details() == null ? "" : e.details().path("verdict").path("found").asText("");
        List<String> found = e.details() == null ? List.of() : reasons(e.details());
        if (counted.isEmpty() && found.isEmpty()) {
            return e;
        }
        // the server's "2 names, 1 date" when it sends one; the rule codes from an older server
        return new WardlineClientException(e.errorCode(), e.httpStatus(),
                e.getMessage() + " Found: " + (counted.isEmpty() ? String.join(", ", found) : counted) + ".",
                e.getCause());
    }
}
