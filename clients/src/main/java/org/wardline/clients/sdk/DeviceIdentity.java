package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wardline.protocol.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An enrolled device's identity: its private key and certificate chain, Wardline's root CA (the only CA
 * it trusts), and the server's addresses. It is kept in a PKCS#12 file encrypted with a passphrase
 * ({@code device.p12}) plus a small, non-secret properties file beside it ({@code device.p12.properties}).
 *
 * <pre>{@code
 * DeviceIdentity id = Enrollment.enroll(publicUrl, CaPin.fingerprint(fp), Secret.of(code), "ward-3 tablet", "linux");
 * id.save(Path.of("device.p12"), Secret.of(passphrase));
 * HttpClient client = DeviceIdentity.load(Path.of("device.p12"), Secret.of(passphrase)).httpClient();
 * }</pre>
 */
public final class DeviceIdentity {
    private static final String KEY_ALIAS = "device";
    private static final String CA_ALIAS = "wardline-ca";

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final X509Certificate root;
    private final URI publicUrl;
    private final URI deviceUrl;
    private final UUID userId;
    private final UUID deviceId;
    private volatile Path keystore;
    private volatile DeviceSession session;

    DeviceIdentity(PrivateKey key, List<X509Certificate> chain, X509Certificate root, URI publicUrl, URI deviceUrl,
                   UUID userId, UUID deviceId) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.root = root;
        this.publicUrl = publicUrl;
        this.deviceUrl = deviceUrl;
        this.userId = userId;
        this.deviceId = deviceId;
    }

    /** Builds an identity from the server's answer to an enrollment or renewal and the key pair it certifies. */
    static DeviceIdentity fromIssued(JsonNode issued, KeyPair keys, X509Certificate trustedRoot, URI publicUrl) {
        List<X509Certificate> chain = new ArrayList<>(Certificates.parsePem(issued.path("certificate").asText()));
        chain.addAll(Certificates.parsePem(issued.path("chain").asText()));
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new WardlineClientException("client.protocol", "the issued certificate is not for this device's key", null);
        }
        return new DeviceIdentity(keys.getPrivate(), chain, trustedRoot, publicUrl,
                URI.create(issued.path("deviceUrl").asText()), UUID.fromString(issued.path("userId").asText()),
                UUID.fromString(issued.path("deviceId").asText()));
    }

    public UUID userId() {
        return userId;
    }

    public UUID deviceId() {
        return deviceId;
    }

    /** The public listener's address (enrollment). */
    public URI publicUrl() {
        return publicUrl;
    }

    /** The device listener's address (mutual TLS). */
    public URI deviceUrl() {
        return deviceUrl;
    }

    /** The device's current certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Wardline's root CA, the only CA this device trusts. */
    public X509Certificate caCertificate() {
        return root;
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** True when the certificate expires within {@code margin}: time to {@link Renewal#renew renew}. */
    public boolean expiresWithin(Duration margin) {
        return Instant.now().plus(margin).isAfter(notAfter());
    }

    /** A TLS context presenting this device's certificate and trusting Wardline's root CA only. */
    public SSLContext sslContext() {
        try {
            char[] transientPassword = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key, transientPassword, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, transientPassword);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), CaPin.trusting(root), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the device's TLS context", e);
        }
    }

    /** An HTTP client for the device listener: mutual TLS with this identity, pinned to Wardline's CA. */
    public HttpClient httpClient() {
        return Https.client(sslContext());
    }

    /** {@code GET /v1/devices/me} on the device listener: what the server knows about this device. */
    public JsonNode whoAmI() {
        return Https.getJson(httpClient(), deviceUrl.resolve("/v1/devices/me"));
    }

    JsonNode postToDevice(String path, ObjectNode body) {
        return Https.postJson(httpClient(), deviceUrl.resolve(path), body);
    }

    /** The signed-in session of this device, if any ({@link SignIn}). */
    public Optional<DeviceSession> session() {
        return Optional.ofNullable(session);
    }

    /**
     * The access token for a request made now (renewed first when it is about to expire), for callers that
     * build their own requests, such as the messaging WebSocket upgrade.
     *
     * @throws WardlineClientException {@code client.not_signed_in} when this device has no session
     */
    public Secret<String> accessToken() {
        DeviceSession s = requireSession();
        try {
            return s.accessToken(this);
        } catch (WardlineClientException e) {
            if (NOT_SIGNED_IN.equals(e.errorCode())) {
                synchronized (this) {
                    if (session == s) {
                        session = null; // ended: the next call reads the session a later `wardline login` saved
                    }
                }
            }
            throw e;
        }
    }

    /** The code of the exception {@link #accessToken()} throws when the session has ended (idle logoff, sign-out). */
    public static final String NOT_SIGNED_IN = "client.not_signed_in";

    void attach(DeviceSession s) {
        this.session = s;
    }

    /** Where this identity's session is saved, or null for an identity that lives in memory only. */
    Path sessionFile() {
        Path k = keystore;
        return k == null ? null : DeviceSession.fileFor(k);
    }

    private synchronized DeviceSession requireSession() {
        DeviceSession s = session;
        if (s == null && keystore != null) {
            s = DeviceSession.load(keystore).orElse(null);
            session = s;
        }
        if (s == null) {
            throw new WardlineClientException("client.not_signed_in",
                    "this device is not signed in: run `wardline login` first", null);
        }
        return s;
    }

    /**
     * Sends a request with the session's bearer token. When the server refuses the token (expired, or the
     * session was idle), the session is refreshed once and the request sent again.
     */
    HttpResponse<String> sendAuthorized(HttpRequest.Builder request) {
        DeviceSession s = requireSession();
        HttpClient client = httpClient();
        try {
            return Https.send(client, request.copy().header("Authorization", "Bearer " + s.accessToken(this).reveal()).build());
        } catch (WardlineClientException e) {
            if (e.httpStatus() != 401) {
                throw e;
            }
            s.refresh(this);
            return Https.send(client, request.copy().header("Authorization", "Bearer " + s.bearer().reveal()).build());
        }
    }

    /** {@link #sendAuthorized} of a JSON POST; returns the JSON answer. */
    JsonNode postAuthorized(String path, ObjectNode body) {
        return Https.parse(sendAuthorized(HttpRequest.newBuilder(deviceUrl.resolve(path)).timeout(Https.TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))).body());
    }

    /** Writes the identity (PKCS#12, owner-only, replaced atomically) and its properties file. */
    public void save(Path file, Secret<String> passphrase) {
        try {
            char[] pass = passphrase.reveal().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key, pass, chain.toArray(Certificate[]::new));
            ks.setCertificateEntry(CA_ALIAS, root);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".device", ".tmp");
            restrict(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, pass);
            }
            Properties p = new Properties();
            p.setProperty("publicUrl", publicUrl.toString());
            p.setProperty("deviceUrl", deviceUrl.toString());
            p.setProperty("userId", userId.toString());
            p.setProperty("deviceId", deviceId.toString());
            Path propsTmp = Files.createTempFile(dir, ".device", ".tmp");
            try (OutputStream out = Files.newOutputStream(propsTmp)) {
                p.store(out, "Wardline device identity (not secret; the key is in the PKCS#12 file)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(propsTmp, propertiesFile(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            keystore = file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the device keystore", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads an identity written by {@link #save}.
     *
     * @throws WardlineClientException ({@code client.keystore}) when the passphrase is wrong or the file is damaged
     */
    public static DeviceIdentity load(Path file, Secret<String> passphrase) {
        try {
            char[] pass = passphrase.reveal().toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, pass);
            }
            PrivateKey key = (PrivateKey) ks.getKey(KEY_ALIAS, pass);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ks.getCertificateChain(KEY_ALIAS)) {
                chain.add((X509Certificate) c);
            }
            X509Certificate root = (X509Certificate) ks.getCertificate(CA_ALIAS);
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile(file))) {
                p.load(in);
            }
            DeviceIdentity identity = new DeviceIdentity(key, chain, root, URI.create(p.getProperty("publicUrl")),
                    URI.create(p.getProperty("deviceUrl")), UUID.fromString(p.getProperty("userId")),
                    UUID.fromString(p.getProperty("deviceId")));
            identity.keystore = file;
            identity.session = DeviceSession.load(file).orElse(null);
            return identity;
        } catch (IOException e) {
            throw new WardlineClientException("client.keystore",
                    "cannot open " + file + " (wrong passphrase, or not a Wardline device keystore)", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new WardlineClientException("client.keystore", "cannot read the device identity in " + file, e);
        }
    }

    static Path propertiesFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".properties");
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Other file systems rely on the user's profile directory permissions.
        }
    }
}
