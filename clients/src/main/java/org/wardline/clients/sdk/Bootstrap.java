package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Claims a fresh installation as its first administrator, on the public listener, trusting only the pinned CA:
 * the one-time code from the start-up banner, a username and a password create the account; an authenticator is
 * set up at once (MFA is mandatory for admins); the session that gives is used once, to issue an enrollment code
 * for this device. The caller then enrolls ({@link Enrollment}) and signs in on the device ({@link SignIn}).
 *
 * <pre>{@code
 * Secret<String> code = Bootstrap.claim(publicUrl, CaPin.fingerprint(fp), bootstrapCode, "admin", password, setup);
 * DeviceIdentity device = Enrollment.enroll(publicUrl, CaPin.fingerprint(fp), code, "admin laptop", "linux");
 * }</pre>
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /**
     * Creates the first administrator, sets up their authenticator through {@code setup}, and returns a one-time
     * enrollment code for their first device.
     *
     * @throws WardlineClientException {@code auth.failed} for a wrong or used bootstrap code, {@code auth.password_rejected} …
     */
    public static Secret<String> claim(URI publicUrl, CaPin pin, Secret<String> bootstrapCode, String username,
                                       Secret<String> password, AuthenticatorSetup setup) {
        X509Certificate root = pin.resolve(publicUrl);
        HttpClient http = Https.client(Enrollment.trustingOnly(root));
        JsonNode claimed = Https.postJson(http, publicUrl.resolve("/v1/bootstrap"), Https.JSON.createObjectNode()
                .put("code", bootstrapCode.reveal()).put("username", username).put("password", password.reveal()));
        String pending = claimed.path("pendingToken").asText();
        JsonNode bearer = enrolAuthenticator(body -> Https.postJson(http, publicUrl.resolve(body.path()), body.json()), pending,
                username, setup);
        HttpRequest issue = HttpRequest.newBuilder(publicUrl.resolve("/v1/devices/enrollment-codes")).timeout(Https.TIMEOUT)
                .header("Authorization", "Bearer " + bearer.path("accessToken").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return Secret.of(Https.parse(Https.send(http, issue).body()).path("code").asText());
    }

    /** One JSON POST to a path, on whichever listener the caller signs in on. */
    record Post(String path, ObjectNode json) {
    }

    /** Sets up TOTP from an enrolment pending token; returns the server's answer (the session's tokens). */
    static JsonNode enrolAuthenticator(java.util.function.Function<Post, JsonNode> post, String pendingToken, String label,
                                       AuthenticatorSetup setup) {
        Objects.requireNonNull(setup, "this account has no second factor yet: an authenticator must be set up");
        JsonNode totp = post.apply(new Post("/v1/auth/totp/enroll", Https.JSON.createObjectNode()
                .put("pendingToken", pendingToken).put("label", label)));
        Secret<String> code = setup.confirm(Secret.of(totp.path("otpauthUri").asText()), Secret.of(totp.path("secret").asText()));
        JsonNode confirmed = post.apply(new Post("/v1/auth/totp/confirm", Https.JSON.createObjectNode()
                .put("pendingToken", pendingToken).put("code", code.reveal())));
        List<Secret<String>> recovery = new ArrayList<>();
        confirmed.path("recoveryCodes").forEach(c -> recovery.add(Secret.of(c.asText())));
        setup.recoveryCodes(recovery);
        return confirmed;
    }
}
