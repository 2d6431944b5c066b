package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

/**
 * Files in conversations, over the device listener (mutual TLS): upload a file, share it into a conversation
 * ({@code POST /v1/conversations/:groupId/attachments}), download a file shared there ({@code GET /v1/files/:id}).
 * The messaging SDK ({@code MessagingClient.sendFile}/{@code download}) builds on these; the announcement with
 * the file's ID, name and SHA-256 travels inside the conversation, end to end encrypted.
 */
public final class ConversationFiles {
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final HttpClient client;
    private final Supplier<URI> deviceUrl;
    private final Supplier<Secret<String>> bearer;

    /**
     * @param sslContext the device's mutual-TLS context
     * @param deviceUrl  the device listener
     * @param bearer     the access token of the session bound to this device (for an SDK identity,
     *                   {@code identity::accessToken}), asked for on every request
     */
    public ConversationFiles(SSLContext sslContext, URI deviceUrl, Supplier<Secret<String>> bearer) {
        this(sslContext, () -> deviceUrl, bearer);
    }

    /**
     * Files through whichever device listener {@code deviceUrl} names at each request: a messaging client passes
     * the node its connection currently uses, so files fail over with messages.
     */
    public ConversationFiles(SSLContext sslContext, Supplier<URI> deviceUrl, Supplier<Secret<String>> bearer) {
        this.client = Https.client(sslContext);
        this.deviceUrl = deviceUrl;
        this.bearer = bearer;
    }

    /** Uploads {@code file} (streamed from disk); see {@link Files#upload(DeviceIdentity, Path, String, String)}. */
    public Files.StoredFile upload(Path file) {
        return Files.upload(r -> Https.send(client, authorized(r).build()), deviceUrl.get(), file, null, null);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer.get().reveal());
    }

    /**
     * Shares a committed file this device's user owns into a conversation this device is a member of.
     *
     * @throws WardlineClientException {@code attachment.not_ready} (still checked, or held for review),
     *         {@code conversation.not_member}, {@code resource.not_found} (no such file of yours)
     */
    public void share(byte[] groupId, String fileId) {
        ObjectNode body = Https.JSON.createObjectNode().put("fileId", fileId);
        Https.send(client, authorized(HttpRequest.newBuilder(
                        deviceUrl.get().resolve("/v1/conversations/" + HexFormat.of().formatHex(groupId) + "/attachments"))
                .timeout(Https.TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).build());
    }

    /**
     * Takes back a file this user uploaded that nothing uses yet ({@code DELETE /v1/files/:id}): what a share the
     * server refused leaves behind.
     */
    public void withdraw(String fileId) {
        Https.send(client, authorized(HttpRequest.newBuilder(deviceUrl.get().resolve("/v1/files/" + fileId))
                .timeout(Https.TIMEOUT).DELETE()).build());
    }

    /**
     * Downloads a file into {@code target}, checking its SHA-256 against {@code expectedSha256} (hex, from the
     * end-to-end encrypted announcement) so the server cannot substitute another file. Nothing is left at
     * {@code target} unless the check passes.
     *
     * @throws WardlineClientException {@code resource.not_found} when this device may not read it (not a current
     *         member of a conversation it was shared into), {@code client.integrity} when the content differs or
     *         there is no hash to check it against (an unchecked file is never kept)
     */
    public Path download(String fileId, String expectedSha256, Path target) {
        HttpRequest request = authorized(HttpRequest.newBuilder(deviceUrl.get().resolve(Files.PATH + "/" + fileId))
                .timeout(DOWNLOAD_TIMEOUT).GET()).build();
        HttpResponse<InputStream> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new WardlineClientException("client.io", "cannot reach the server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardlineClientException("client.interrupted", "interrupted", e);
        }
        try (InputStream body = r.body()) {
            if (r.statusCode() >= 400) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                throw Https.failure(r.statusCode(), text);
            }
            Path parent = target.toAbsolutePath().getParent();
            Path partial = java.nio.file.Files.createTempFile(parent, ".wardline-download-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (DigestInputStream in = new DigestInputStream(body, sha);
                     OutputStream out = java.nio.file.Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                if (expectedSha256 == null || !HexFormat.of().formatHex(sha.digest()).equalsIgnoreCase(expectedSha256)) {
                    throw new WardlineClientException("client.integrity",
                            "the downloaded file is not the one that was shared (SHA-256 differs); it was discarded", null);
                }
                java.nio.file.Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } finally {
                java.nio.file.Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
