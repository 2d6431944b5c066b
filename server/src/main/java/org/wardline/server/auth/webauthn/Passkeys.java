package org.wardline.server.auth.webauthn;

import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.webauthn4j.Attestation;
import io.vertx.ext.auth.webauthn4j.RelyingParty;
import io.vertx.ext.auth.webauthn4j.ResidentKey;
import io.vertx.ext.auth.webauthn4j.UserVerification;
import io.vertx.ext.auth.webauthn4j.WebAuthn4J;
import io.vertx.ext.auth.webauthn4j.WebAuthn4JCredentials;
import io.vertx.ext.auth.webauthn4j.WebAuthn4JOptions;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountException;
import org.wardline.server.account.User;
import org.wardline.server.auth.webauthn.WebAuthnChallenges.Purpose;

import java.util.Base64;
import java.util.UUID;

/**
 * Passkey ceremonies on vertx-auth-webauthn4j (webauthn4j verifies attestation, signature, RP ID hash, flags and
 * the signature counter; a counter that does not advance is reported as a suspected clone). Wardline adds what
 * the library leaves to the application: server-side single-use challenges bound to an account and a ceremony,
 * the expected origin from the public URL, and one account's credentials only in each lookup.
 */
public final class Passkeys {
    private final WebAuthn4J webauthn;
    private final PasskeyStore store;
    private final WebAuthnChallenges challenges;
    private final RelyingPartyOrigin rp;

    public Passkeys(Vertx vertx, PasskeyStore store, WebAuthnChallenges challenges, RelyingPartyOrigin rp) {
        this.store = store;
        this.challenges = challenges;
        this.rp = rp;
        this.webauthn = WebAuthn4J.create(vertx, new WebAuthn4JOptions()
                        .setRelyingParty(new RelyingParty().setId(rp.rpId()).setName("Wardline"))
                        .setAttestation(Attestation.NONE)
                        .setResidentKey(ResidentKey.DISCOURAGED)
                        .setUserVerification(UserVerification.PREFERRED)
                        .setTimeoutInMilliseconds(challenges.lifetime().toMillis()))
                .credentialStorage(store);
    }

    public PasskeyStore store() {
        return store;
    }

    public RelyingPartyOrigin relyingParty() {
        return rp;
    }

    /** Creation options for a new passkey of {@code user}, with the handle of the challenge they carry. */
    public Future<JsonObject> registrationOptions(User user) {
        requireAvailable();
        return webauthn.createCredentialsOptions(new JsonObject().put("name", user.id().toString()))
                .compose(options -> {
                    // The library keys credentials by our account UUID; the browser shows the user name instead,
                    // and the user handle is the same for every passkey of the account.
                    options.getJsonObject("user").put("name", user.username())
                            .put("displayName", user.displayName() == null ? user.username() : user.displayName())
                            .put("id", userHandle(user.id()));
                    return challenges.issue(user.id(), Purpose.REGISTER, options.getString("challenge"))
                            .map(id -> new JsonObject().put("challengeId", id.toString()).put("publicKey", options));
                });
    }

    /** Verifies a new credential against its challenge and stores it; returns its stored ID. */
    public Future<UUID> register(User user, UUID challengeId, JsonObject credential) {
        requireAvailable();
        JsonObject webauthnJson = sanitize(credential);
        return challenges.consume(challengeId, user.id(), Purpose.REGISTER)
                .compose(challenge -> webauthn.authenticate(credentials(user.id(), challenge, webauthnJson)))
                .recover(e -> Future.failedFuture(refusal(e)))
                .compose(u -> store.idOf(user.id(), webauthnJson.getString("id")))
                .map(id -> id.orElseThrow(() -> new PasskeyRefusal("not_stored")));
    }

    /** Request options for an assertion by one of {@code userId}'s passkeys. */
    public Future<JsonObject> assertionOptions(UUID userId, Purpose purpose) {
        requireAvailable();
        return store.hasAny(userId).compose(any -> {
            if (!any) {
                return Future.failedFuture(new AccountException(ErrorCode.PASSKEY_UNAVAILABLE));
            }
            return webauthn.getCredentialsOptions(userId.toString())
                    .compose(options -> challenges.issue(userId, purpose, options.getString("challenge"))
                            .map(id -> new JsonObject().put("challengeId", id.toString()).put("publicKey", options)));
        });
    }

    /**
     * Verifies an assertion by one of {@code userId}'s passkeys for challenge {@code challengeId}; fails with a
     * {@link PasskeyRefusal} naming why. Returns the stored ID of the passkey used.
     */
    public Future<UUID> verifyAssertion(UUID userId, Purpose purpose, UUID challengeId, JsonObject credential) {
        requireAvailable();
        JsonObject webauthnJson = sanitize(credential);
        return challenges.consume(challengeId, userId, purpose)
                .compose(challenge -> webauthn.authenticate(credentials(userId, challenge, webauthnJson)))
                .recover(e -> Future.failedFuture(refusal(e)))
                .compose(u -> store.idOf(userId, webauthnJson.getString("id")))
                .map(id -> id.orElseThrow(() -> new PasskeyRefusal("unknown_credential")));
    }

    private WebAuthn4JCredentials credentials(UUID userId, String challenge, JsonObject webauthnJson) {
        return new WebAuthn4JCredentials().setUsername(userId.toString()).setChallenge(challenge)
                .setOrigin(rp.origin()).setDomain(rp.rpId()).setWebauthn(webauthnJson);
    }

    private void requireAvailable() {
        if (!rp.available()) {
            throw new AccountException(ErrorCode.PASSKEY_UNAVAILABLE);
        }
    }

    /** The credential JSON a browser's {@code PublicKeyCredential.toJSON()} gives, checked for shape only. */
    private static JsonObject sanitize(JsonObject credential) {
        if (credential == null || !(credential.getValue("id") instanceof String id) || id.isBlank() || id.length() > 1400
                || !id.equals(credential.getValue("rawId")) || !(credential.getValue("response") instanceof JsonObject response)
                || !(response.getValue("clientDataJSON") instanceof String)) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        JsonObject copy = credential.copy();
        JsonObject r = copy.getJsonObject("response");
        if (r.getValue("userHandle") == null) {
            r.remove("userHandle");
        }
        return copy;
    }

    /** The audit reason for a failed ceremony; the library reports some failures as messages only. */
    static PasskeyRefusal refusal(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            String reason = switch (c) {
                case PasskeyRefusal p -> p.reason();
                case MaliciousCounterValueException m -> "clone_suspected";
                case BadOriginException b -> "origin_mismatch";
                case BadRpIdException b -> "rp_id_mismatch";
                case BadChallengeException b -> "challenge_mismatch";
                case BadSignatureException b -> "bad_signature";
                case UserNotPresentException u -> "user_not_present";
                default -> byMessage(c.getMessage());
            };
            if (reason != null) {
                return new PasskeyRefusal(reason);
            }
        }
        return new PasskeyRefusal("invalid_response");
    }

    private static String byMessage(String m) {
        if (m == null) {
            return null;
        }
        if (m.startsWith("Origins don't match")) {
            return "origin_mismatch";
        }
        if (m.startsWith("Challenges don't match")) {
            return "challenge_mismatch";
        }
        if (m.startsWith("Cannot find authenticator")) {
            return "unknown_credential";
        }
        return null;
    }

    static String userHandle(UUID id) {
        Buffer b = Buffer.buffer(16).setLong(0, id.getMostSignificantBits()).setLong(8, id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.getBytes());
    }
}
