package org.wardline.clients.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * A device's side of remote wipe (docs/adr/0006-remote-wipe.md). A device marked lost can still complete the TLS
 * handshake, but the server answers everything except {@code /v1/devices/me/wipe} with {@code device.wipe_pending}.
 * On that answer the SDK asks for the wipe command, destroys the local vault (crypto-erasure of its data key) and
 * deletes the identity directory (the device key and certificate), then confirms, with the certificate it still
 * holds in memory. After the confirmation the server refuses the certificate at TLS.
 */
public final class RemoteWipe {
    /** The error code the server answers a device marked lost with. */
    public static final String WIPE_PENDING = "device.wipe_pending";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteWipe() {
    }

    /** Whether the server holds a wipe command for this device. */
    public static boolean pending(DeviceCredentials credentials) {
        HttpResponse<String> r = send(credentials, HttpRequest.newBuilder(uri(credentials, "")).GET());
        return r.statusCode() == 200 && "pending".equals(json(r).path("wipe").asText());
    }

    /**
     * Carries out a pending wipe: destroys {@code vault}, deletes {@code identityDirectory} (may be null) and every
     * file in it, then confirms to the server. Returns false, touching nothing, when no wipe is pending.
     */
    public static boolean wipeIfCommanded(DeviceCredentials credentials, LocalVault vault, Path identityDirectory) {
        if (!pending(credentials)) {
            return false;
        }
        vault.destroy();
        if (identityDirectory != null) {
            deleteTree(identityDirectory);
        }
        HttpResponse<String> r = send(credentials, HttpRequest.newBuilder(uri(credentials, "/confirm"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 200) {
            throw new MessagingException(json(r).path("error").asText("http." + r.statusCode()), null);
        }
        return true;
    }

    /**
     * True when {@code error} is the server refusing this device's WebSocket upgrade (403): a device marked lost
     * is refused so; {@link #wipeIfCommanded} then asks whether a wipe waits.
     */
    public static boolean isRefusedDevice(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof java.net.http.WebSocketHandshakeException h && h.getResponse().statusCode() == 403) {
                return true;
            }
        }
        return false;
    }

    private static URI uri(DeviceCredentials credentials, String suffix) {
        return URI.create("https://" + credentials.deviceListener().getRawAuthority() + "/v1/devices/me/wipe" + suffix);
    }

    private static HttpResponse<String> send(DeviceCredentials credentials, HttpRequest.Builder request) {
        HttpClient http = HttpClient.newBuilder().sslContext(credentials.sslContext()).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MessagingException(MessagingException.CONNECTION_LOST, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(MessagingException.CONNECTION_LOST, null);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body() == null || r.body().isEmpty() ? "{}" : r.body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
