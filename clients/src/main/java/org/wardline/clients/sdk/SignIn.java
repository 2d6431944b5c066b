package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.net.http.HttpRequest;
import java.util.function.Supplier;

/**
 * Signs a device's user in over the device listener (mutual TLS), so the session is bound to this device: a
 * password, then a second factor (a TOTP code, or a one-time recovery code) when the server asks for one.
 * The session is kept beside the device keystore and used by every other SDK call.
 *
 * <pre>{@code
 * DeviceIdentity device = DeviceIdentity.load(p12, passphrase);
 * SignIn.password(device, "dr.grey", Secret.of(password), () -> SignIn.SecondFactor.totp(Secret.of(code)));
 * Files.upload(device, Path.of("discharge.pdf"));   // sends the session's bearer token
 * }</pre>
 */
public final class SignIn {
    private SignIn() {
    }

    /** The second factor the user gives: a TOTP code or a recovery code. */
    public record SecondFactor(boolean recovery, Secret<String> code) {
        public static SecondFactor totp(Secret<String> code) {
            return new SecondFactor(false, code);
        }

        public static SecondFactor recoveryCode(Secret<String> code) {
            return new SecondFactor(true, code);
        }
    }

    /**
     * Signs in and keeps the session on {@code device} (and in its session file when it was loaded from one).
     *
     * @param secondFactor asked only when the server wants a second factor
     * @throws WardlineClientException {@code auth.failed}, {@code auth.mfa_invalid}, {@code auth.locked} …, or
     *         {@code client.mfa_enrollment_required} when the account has no second factor set up yet
     */
    public static DeviceSession password(DeviceIdentity device, String username, Secret<String> password,
                                         Supplier<SecondFactor> secondFactor) {
        return password(device, username, password, secondFactor, null);
    }

    /**
     * Signs in as {@link #password(DeviceIdentity, String, Secret, Supplier)} does; when the account has no second
     * factor yet, sets up an authenticator through {@code setup} (on this device's mutual-TLS connection, so the
     * session it opens is bound to the device) instead of refusing.
     */
    public static DeviceSession password(DeviceIdentity device, String username, Secret<String> password,
                                         Supplier<SecondFactor> secondFactor, AuthenticatorSetup setup) {
        ObjectNode login = Https.JSON.createObjectNode().put("username", username).put("password", password.reveal());
        JsonNode answer = device.postToDevice("/v1/auth/login", login);
        if ("mfa_required".equals(answer.path("status").asText())) {
            SecondFactor f = secondFactor.get();
            ObjectNode mfa = Https.JSON.createObjectNode().put("pendingToken", answer.path("pendingToken").asText())
                    .put(f.recovery() ? "recoveryCode" : "code", f.code().reveal());
            answer = device.postToDevice("/v1/auth/mfa", mfa);
        }
        if ("mfa_enrollment_required".equals(answer.path("status").asText()) && setup != null) {
            answer = Bootstrap.enrolAuthenticator(p -> device.postToDevice(p.path(), p.json()),
                    answer.path("pendingToken").asText(), username, setup);
        }
        return switch (answer.path("status").asText()) {
            case "signed_in" -> {
                DeviceSession s = DeviceSession.fromTokens(answer, device.sessionFile());
                s.save();
                device.attach(s);
                yield s;
            }
            case "mfa_enrollment_required" -> throw new WardlineClientException("client.mfa_enrollment_required",
                    "this account must set up a second factor (an authenticator app) before it can sign in on a device", null);
            default -> throw new WardlineClientException("client.protocol", "unexpected sign-in answer", null);
        };
    }

    /** Shows the second factor again for actions that need a fresh one (creating a share link …). */
    public static void stepUp(DeviceIdentity device, Secret<String> totpCode) {
        ObjectNode body = Https.JSON.createObjectNode().put("code", totpCode.reveal());
        device.sendAuthorized(HttpRequest.newBuilder(device.deviceUrl().resolve("/v1/auth/step-up")).timeout(Https.TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * Ends this device's session on the server and deletes the saved tokens; returns false when there was no
     * session, or the server had already ended it.
     */
    public static boolean logout(DeviceIdentity device) {
        DeviceSession s = device.session().orElse(null);
        if (s == null) {
            return false;
        }
        try {
            Https.send(device.httpClient(), HttpRequest.newBuilder(device.deviceUrl().resolve("/v1/auth/logout"))
                    .timeout(Https.TIMEOUT).header("Authorization", "Bearer " + s.bearer().reveal())
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            return true;
        } catch (WardlineClientException e) {
            if (e.httpStatus() == 401) {
                return false;
            }
            throw e;
        } finally {
            s.forget();
            device.attach(null);
        }
    }
}
