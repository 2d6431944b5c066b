package org.wardline.bench.server;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.Role;
import org.wardline.server.auth.Totp;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Clinician accounts for benchmark devices, made inside the server process: the user row written as the
 * server tests' EnrolledDevices writes it (one Argon2 hash for every account of the run), then TOTP set up
 * through the public listener's real endpoints. The device signs in itself, with a recovery code.
 */
final class BenchAccounts {
    private final WardlineServer server;
    private final String password;
    private final HttpClient http;
    private String passwordHash;

    BenchAccounts(WardlineServer server) throws Exception {
        this.server = server;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(server.config().pki().directory().resolve("root-ca.crt"))) {
            trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A new clinician with current training and TOTP set up: {userId, username, password, recoveryCodes}. */
    JsonObject create() throws Exception {
        if (passwordHash == null) {
            passwordHash = await(new PasswordHasher(server.vertx(), server.config().auth().argon2()).hash(Secret.of(password)));
        }
        UUID user = UUID.randomUUID();
        String username = "bench-" + user;
        await(server.database().pool().withTransaction(tx -> tx.preparedQuery("INSERT INTO users (id, username, display_name, "
                        + "password_hash, training_expires_on) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(user, username, "Bench " + user.toString().substring(0, 8), passwordHash, LocalDate.now().plusYears(1)))
                .compose(v -> tx.preparedQuery("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .execute(Tuple.of(user, Role.CLINICIAN.wireName())))
                // One care team for every bench account, so the membership policy lets them message each other.
                .compose(v -> tx.preparedQuery("INSERT INTO teams (id, name) VALUES ($1, 'bench') ON CONFLICT (name) DO NOTHING")
                        .execute(Tuple.of(UUID.randomUUID())))
                .compose(v -> tx.preparedQuery("INSERT INTO team_members (team_id, user_id) SELECT id, $1 FROM teams WHERE name = 'bench'")
                        .execute(Tuple.of(user)))));
        JsonObject login = post("/v1/auth/login", new JsonObject().put("username", username).put("password", password));
        if (!"mfa_enrollment_required".equals(login.getString("status"))) {
            throw new IllegalStateException("unexpected sign-in answer for a new account: " + login.getString("status"));
        }
        String pending = login.getString("pendingToken");
        JsonObject enrolled = post("/v1/auth/totp/enroll", new JsonObject().put("pendingToken", pending).put("label", username));
        byte[] secret = base32(enrolled.getString("secret"));
        JsonObject confirmed = post("/v1/auth/totp/confirm", new JsonObject().put("pendingToken", pending)
                .put("code", Totp.code(secret, Totp.step(Instant.now()))));
        return new JsonObject().put("userId", user.toString()).put("username", username).put("password", password)
                .put("recoveryCodes", confirmed.getJsonArray("recoveryCodes"));
    }

    private JsonObject post(String path, JsonObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.publicPort() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode());
        }
        return new JsonObject(r.body());
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** RFC 4648 Base32 (the TOTP secret's encoding). */
    static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.replace("=", "").toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
