package org.wardline.clients.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.InvalidMlsMessageException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The server's MLS external-sender key, learnt over mutual TLS ({@code GET /v1/mls/external-sender}) and pinned
 * in the local vault on first use: new groups name it in their {@code external_senders} extension, and external
 * Remove proposals must verify against it (docs/adr/0006-remote-wipe.md). A server that later presents another
 * key is refused ({@link #CHANGED}) until the vault is reset: a changed key could sign removals of anyone.
 */
final class ExternalSenderPin {
    static final String KIND = "external-sender";
    /** The error code for a server key that differs from the pinned one. */
    static final String CHANGED = "mls.external_sender_changed";
    private static final String PATH = "/v1/mls/external-sender";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExternalSenderPin() {
    }

    /** The pinned key, if this vault has one. */
    static Optional<ExternalSenderKey> pinned(LocalVault vault) {
        List<byte[]> records = vault.read(KIND);
        if (records.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExternalSenderKey.decode(records.get(0)));
        } catch (InvalidMlsMessageException e) {
            throw new MessagingException("vault.corrupt", null);
        }
    }

    /**
     * Pins {@code presented} if nothing is pinned yet and returns it; returns the pinned key when they are equal.
     *
     * @throws MessagingException {@link #CHANGED} when the vault holds another key
     */
    static ExternalSenderKey pin(LocalVault vault, ExternalSenderKey presented) {
        Optional<ExternalSenderKey> pinned = pinned(vault);
        if (pinned.isEmpty()) {
            vault.append(KIND, presented.encoded());
            return presented;
        }
        if (!pinned.get().equals(presented)) {
            throw new MessagingException(CHANGED, null);
        }
        return pinned.get();
    }

    /** Asks the server for its key; empty when the server has none (an older server answers 404). */
    static Optional<ExternalSenderKey> fetch(DeviceCredentials credentials) {
        HttpClient http = HttpClient.newBuilder().sslContext(credentials.sslContext()).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://"
                + credentials.deviceListener().getRawAuthority() + PATH)).timeout(TIMEOUT).GET();
        if (credentials.bearer() != null) {
            request.header("Authorization", "Bearer " + credentials.bearer().get().reveal());
        }
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MessagingException(MessagingException.CONNECTION_LOST, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(MessagingException.CONNECTION_LOST, null);
        }
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new MessagingException(body.path("error").asText("http." + r.statusCode()), null);
            }
            return Optional.of(ExternalSenderKey.decode(Base64.getDecoder().decode(body.path("externalSender").asText())));
        } catch (IOException | IllegalArgumentException | InvalidMlsMessageException e) {
            throw new MessagingException("client.protocol", null);
        }
    }
}
