package org.wardline.server.testing;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.Role;
import org.wardline.server.auth.WardlineApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enrolls devices the way a real one enrolls (a code from the operator, a CSR from the SDK) and signs them in
 * the way a real one signs in (password and second factor over mutual TLS, through the SDK), so the device
 * holds a session bound to it. The user is created when it does not exist yet: a clinician with current HIPAA
 * training unless the test asks for other roles.
 */
public final class EnrolledDevices {
    private static final Map<WardlineServer, String> PASSWORD_HASHES = new WeakHashMap<>();
    private static final Map<UUID, WardlineApi.Account> ACCOUNTS = new ConcurrentHashMap<>();

    private EnrolledDevices() {
    }

    /** A freshly enrolled, signed-in device of {@code user} (a clinician, created if needed). */
    public static SignedInDevice enroll(WardlineServer server, UUID user) throws Exception {
        return enroll(server, user, Set.of(Role.CLINICIAN), LocalDate.now().plusYears(1));
    }

    /** A new clinician's freshly enrolled, signed-in device. */
    public static SignedInDevice enroll(WardlineServer server) throws Exception {
        return enroll(server, UUID.randomUUID());
    }

    /** A device of a new or existing user with these roles and training (null: no training recorded). */
    public static SignedInDevice enroll(WardlineServer server, UUID user, Set<Role> roles, LocalDate trainingExpiresOn)
            throws Exception {
        DeviceIdentity identity = enrollOnly(server, user);
        WardlineApi.Account account = account(server, user, roles, trainingExpiresOn);
        // Recovery codes, not TOTP: tests sign devices in faster than TOTP steps pass; they use TOTP for step-up.
        SignIn.password(identity, account.username, Secret.of(WardlineApi.PASSWORD), () -> {
            synchronized (account) {
                return SignIn.SecondFactor.recoveryCode(Secret.of(account.recoveryCodes.remove(0).toString()));
            }
        });
        return new SignedInDevice(identity, account);
    }

    /** Enrolled but not signed in: its certificate alone, as before the user signs in. */
    public static DeviceIdentity enrollOnly(WardlineServer server, UUID user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("issuing an enrollment code failed: " + r.statusCode() + " " + r.body());
        }
        String code = new JsonObject(r.body()).getString("code");
        return Enrollment.enroll(URI.create("https://127.0.0.1:" + server.publicPort()),
                CaPin.fingerprint(server.certificateAuthority().rootFingerprint()), Secret.of(code), "test device", "linux");
    }

    /** A new clinician account with current training and TOTP set up (for tests that sign in themselves). */
    public static WardlineApi.Account account(WardlineServer server) throws Exception {
        return account(server, UUID.randomUUID(), Set.of(Role.CLINICIAN), LocalDate.now().plusYears(1));
    }

    /** The account of {@code user}, created (with TOTP set up on the public listener) the first time. */
    public static synchronized WardlineApi.Account account(WardlineServer server, UUID user, Set<Role> roles,
                                                            LocalDate training) throws Exception {
        WardlineApi.Account existing = ACCOUNTS.get(user);
        if (existing != null) {
            return existing;
        }
        String hash = PASSWORD_HASHES.get(server);
        if (hash == null) {
            hash = await(new PasswordHasher(server.vertx(), server.config().auth().argon2()).hash(Secret.of(WardlineApi.PASSWORD)));
            PASSWORD_HASHES.put(server, hash);
        }
        String username = "user-" + user;
        String passwordHash = hash;
        var pool = server.database().pool();
        await(pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO users (id, username, display_name, password_hash, "
                        + "training_expires_on) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(user, username, "Test " + user.toString().substring(0, 8), passwordHash, training))
                .compose(v -> tx.preparedQuery("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .executeBatch(roles.stream().map(role -> Tuple.of(user, role.wireName())).toList()))));
        WardlineApi.Account a = new WardlineApi.Account();
        a.id = user;
        a.username = username;
        new WardlineApi(server).signIn(a);
        ACCOUNTS.put(user, a);
        return a;
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }
}
