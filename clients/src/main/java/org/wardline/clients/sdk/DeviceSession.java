package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in session bound to one device: its short-lived access token and rotating refresh token. The tokens
 * are kept beside the device keystore ({@code device.p12.session}, owner-only) so later commands reuse them; the
 * access token is renewed with the refresh token shortly before it expires, or after the server refuses it.
 * Each refresh returns a new refresh token (the old one is dead: presenting it twice ends the session).
 */
public final class DeviceSession {
    /** Renew the access token this long before it expires. */
    private static final Duration EARLY = Duration.ofSeconds(30);

    private Secret<String> accessToken;
    private Secret<String> refreshToken;
    private Instant accessExpiresAt;
    private final Path file;

    DeviceSession(Secret<String> accessToken, Secret<String> refreshToken, Instant accessExpiresAt, Path file) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.accessExpiresAt = accessExpiresAt;
        this.file = file;
    }

    /** From a sign-in or refresh answer ({@code accessToken}, {@code refreshToken}, {@code expiresIn}). */
    static DeviceSession fromTokens(JsonNode tokens, Path file) {
        return new DeviceSession(Secret.of(tokens.path("accessToken").asText()), Secret.of(tokens.path("refreshToken").asText()),
                Instant.now().plusSeconds(tokens.path("expiresIn").asLong(0)), file);
    }

    /** Where a device keystore's session is kept. */
    public static Path fileFor(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + ".session");
    }

    /** The session saved beside {@code keystore}, if there is one. */
    static Optional<DeviceSession> load(Path keystore) {
        Path f = fileFor(keystore);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode json = Https.JSON.readTree(f.toFile());
            return Optional.of(new DeviceSession(Secret.of(json.path("accessToken").asText()),
                    Secret.of(json.path("refreshToken").asText()), Instant.parse(json.path("accessExpiresAt").asText()), f));
        } catch (IOException | RuntimeException e) {
            throw new WardlineClientException("client.session_file", "cannot read the saved session in " + f
                    + "; run `wardline logout`, then `wardline login`", e);
        }
    }

    /** The access token to send now, renewed first when it is about to expire. */
    synchronized Secret<String> accessToken(DeviceIdentity device) {
        if (Instant.now().plus(EARLY).isAfter(accessExpiresAt)) {
            refresh(device);
        }
        return accessToken;
    }

    /** The access token as it is (tests read it; the SDK sends it through {@link #accessToken(DeviceIdentity)}). */
    public synchronized Secret<String> bearer() {
        return accessToken;
    }

    /** Renews the access token with the refresh token (which rotates), and saves the new pair. */
    public synchronized void refresh(DeviceIdentity device) {
        ObjectNode body = Https.JSON.createObjectNode().put("refreshToken", refreshToken.reveal());
        JsonNode answer;
        try {
            answer = device.postToDevice("/v1/auth/refresh", body);
        } catch (WardlineClientException e) {
            if (e.httpStatus() == 401) {
                forget();
                throw new WardlineClientException("client.not_signed_in", 401,
                        "this device's session has ended; sign in again with `wardline login`", e);
            }
            throw e;
        }
        if (!"signed_in".equals(answer.path("status").asText())) {
            throw new WardlineClientException("client.protocol", "the server did not renew the session", null);
        }
        accessToken = Secret.of(answer.path("accessToken").asText());
        refreshToken = Secret.of(answer.path("refreshToken").asText());
        accessExpiresAt = Instant.now().plusSeconds(answer.path("expiresIn").asLong(0));
        save();
    }

    /** Writes the tokens (owner-only, replaced atomically); a session without a file stays in memory. */
    synchronized void save() {
        if (file == null) {
            return;
        }
        ObjectNode json = Https.JSON.createObjectNode().put("accessToken", accessToken.reveal())
                .put("refreshToken", refreshToken.reveal()).put("accessExpiresAt", accessExpiresAt.toString());
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".session", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Other file systems rely on the user's profile directory permissions.
            }
            Files.writeString(tmp, json.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Deletes the saved tokens. */
    synchronized void forget() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }

    @Override
    public String toString() {
        return "DeviceSession[tokens redacted]";
    }
}
