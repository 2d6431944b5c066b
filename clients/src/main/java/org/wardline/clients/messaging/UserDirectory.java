package org.wardline.clients.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns a colleague's exact user name into the URN an invite takes, through the server's directory
 * ({@code GET /v1/directory/users/:name}); the server answers only exact names, so there is nothing to list.
 * A user ID is turned into the name to show ({@code GET /v1/directory/colleagues/:id}) only for people who share a
 * conversation with the caller.
 */
final class UserDirectory {
    private static final String PATH = "/v1/directory/users/";
    private static final String BY_ID_PATH = "/v1/directory/colleagues/";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A colleague as the directory names them: the URN an invite takes and the name to show. */
    public record Colleague(String urn, String userName, String displayName) {
    }

    private UserDirectory() {
    }

    /** The active account of exactly this name; empty when there is none (unknown and disabled look the same). */
    static Optional<Colleague> find(DeviceCredentials credentials, String userName) {
        String encoded = URLEncoder.encode(userName, StandardCharsets.UTF_8).replace("+", "%20");
        return get(credentials, PATH + encoded, userName);
    }

    /** The user of this ID, when the caller shares a conversation with them (or it is the caller); empty otherwise. */
    static Optional<Colleague> find(DeviceCredentials credentials, java.util.UUID userId) {
        return get(credentials, BY_ID_PATH + userId, userId.toString());
    }

    private static Optional<Colleague> get(DeviceCredentials credentials, String path, String fallbackName) {
        HttpClient http = HttpClient.newBuilder().sslContext(credentials.sslContext()).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://"
                + credentials.deviceListener().getRawAuthority() + path)).timeout(TIMEOUT).GET();
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
        try {
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw new MessagingException(body.path("error").asText("http." + r.statusCode()), null);
            }
            String urn = body.path("urn").asText("");
            if (!urn.startsWith("urn:wardline:user:")) {
                throw new MessagingException("client.protocol", null);
            }
            return Optional.of(new Colleague(urn, body.path("username").asText(fallbackName),
                    body.path("displayName").asText(fallbackName)));
        } catch (IOException e) {
            throw new MessagingException("client.protocol", null);
        }
    }
}
