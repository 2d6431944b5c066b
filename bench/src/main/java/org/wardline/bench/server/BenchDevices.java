package org.wardline.bench.server;

import io.vertx.core.json.JsonObject;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.UUID;

/**
 * Devices enrolled through the server's real enrollment flow: a code from the operator endpoint on the ops
 * listener, a key and CSR made here by the client SDK. The same steps as the server tests' EnrolledDevices.
 */
public final class BenchDevices {
    private static final HttpClient OPS = HttpClient.newHttpClient();

    private final ChildServer server;
    private final X509Certificate root;
    private final Path dir;

    public BenchDevices(ChildServer server) throws Exception {
        this.server = server;
        try (InputStream in = Files.newInputStream(server.rootCertificate())) {
            this.root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        this.dir = Files.createTempDirectory(server.dataDir(), "devices-");
    }

    /**
     * A newly enrolled device of a new clinician, signed in (password and a recovery code over mutual TLS, through
     * the SDK), so it holds a session bound to it as device routes and the messaging upgrade require.
     */
    public DeviceIdentity enroll() throws Exception {
        JsonObject account = server.newAccount();
        UUID user = UUID.fromString(account.getString("userId"));
        HttpResponse<String> r = OPS.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("issuing an enrollment code failed: HTTP " + r.statusCode());
        }
        String code = new JsonObject(r.body()).getString("code");
        DeviceIdentity identity = Enrollment.enroll(URI.create("https://127.0.0.1:" + server.publicPort()),
                CaPin.fingerprint(server.rootFingerprint()), Secret.of(code), "bench device", "linux");
        String recovery = account.getJsonArray("recoveryCodes").getString(0);
        SignIn.password(identity, account.getString("username"), Secret.of(account.getString("password")),
                () -> SignIn.SecondFactor.recoveryCode(Secret.of(recovery)));
        return identity;
    }

    /** A newly enrolled, signed-in device, as messaging credentials (with the session's bearer) for the device listener. */
    public DeviceCredentials credentials() throws Exception {
        DeviceIdentity identity = enroll();
        Path file = dir.resolve(UUID.randomUUID() + ".p12");
        char[] pass = "bench-device".toCharArray();
        identity.save(file, Secret.of(new String(pass)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, pass);
        }
        return DeviceCredentials.fromKeyStore(ks, pass, root, deviceListener()).withBearer(identity::accessToken);
    }

    public URI deviceListener() {
        return URI.create("https://127.0.0.1:" + server.devicePort());
    }
}
