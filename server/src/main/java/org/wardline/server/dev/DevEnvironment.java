package org.wardline.server.dev;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.embedded.ClamdProcess;
import org.wardline.embedded.SupervisedClamd;
import org.wardline.embedded.EmbeddedPostgresServer;
import org.wardline.embedded.EmbeddedS3Server;
import org.wardline.embedded.FreePorts;
import org.wardline.protocol.Secret;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.ServerCertificate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code wardline dev} runs beside the server, all on loopback with data under one directory:
 * PostgreSQL (zonky), S3 (s3proxy, filesystem backend), clamd with the project's test signatures plus the
 * system ones, and the dev CA with a server certificate. A restart reuses all of it.
 */
public final class DevEnvironment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevEnvironment.class);
    public static final String DEFAULTS_RESOURCE = "/org/wardline/server/config/wardline-dev.yaml";

    private final List<AutoCloseable> services = new ArrayList<>();
    private WardlineConfig config;
    private Map<String, Object> tree;
    private SupervisedClamd clamd;

    public record Ports(Integer publicPort, Integer devicePort, Integer opsPort) {
    }

    /** Starts the embedded services and returns the environment with its validated configuration. */
    public static DevEnvironment start(Path dataDir, Ports ports, Map<String, String> env) {
        DevEnvironment dev = new DevEnvironment();
        try {
            dev.startServices(dataDir.toAbsolutePath().normalize(), ports, env);
            return dev;
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    private void startServices(Path dataDir, Ports ports, Map<String, String> env) {
        DevRuntime.claim(dataDir);
        DevSecrets secrets = DevSecrets.loadOrCreate(dataDir);
        Map<String, Object> defaults = ConfigLoader.parseYaml(readDefaults(), DEFAULTS_RESOURCE);

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"));
        services.add(postgres);
        postgres.ensureDatabase("wardline");
        new DevRuntime(ProcessHandle.current().pid(), postgres.port()).write(dataDir);
        services.add(() -> DevRuntime.remove(dataDir));

        EmbeddedS3Server s3 = EmbeddedS3Server.start(dataDir.resolve("s3"), FreePorts.pick(),
                secrets.get("s3.accessKey"), secrets.get("s3.secretKey"));
        services.add(s3);
        DevRuntime.recordS3(dataDir, s3.endpoint());

        Path pki = dataDir.resolve("pki");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Secret.of(secrets.get("pki.passphrase")), "Wardline dev");
        Path cert = dataDir.resolve("tls/server.crt");
        Path key = dataDir.resolve("tls/server.key");
        int publicPort = port(ports.publicPort(), defaults, "public");
        ServerCertificate.ensure(ca, cert, key, java.net.URI.create("https://127.0.0.1:" + publicPort + "/pki/crl"));

        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dataDir", dataDir.toString());
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("public", Map.of("port", publicPort));
        server.put("device", Map.of("port", port(ports.devicePort(), defaults, "device")));
        server.put("ops", Map.of("port", port(ports.opsPort(), defaults, "ops")));
        server.put("publicUrl", "https://127.0.0.1:" + publicPort);
        o.put("server", server);
        o.put("tls", Map.of("certificate", cert.toString(), "privateKey", key.toString()));
        o.put("pki", Map.of("directory", pki.toString(), "passphrase", secrets.get("pki.passphrase")));
        o.put("database", Map.of("host", "127.0.0.1", "port", postgres.port(), "name", "wardline",
                "user", EmbeddedPostgresServer.USER, "sslMode", "disable"));
        o.put("storage", Map.of("s3", Map.of("endpoint", s3.endpoint().toString(), "accessKey", s3.accessKey(),
                "secretKey", s3.secretKey())));
        o.put("keys", Map.of("keystore", dataDir.resolve("keys/keystore.json").toString(),
                "passphrase", secrets.get("keys.passphrase")));

        Map<String, Object> merged = ConfigLoader.merge(defaults, o);
        long maxUpload = ConfigLoader.load(withMalwareWaived(merged), env, dataDir).uploads().maxBytes();
        o.put("dlp", Map.of("malware", startClamd(dataDir.resolve("clamd"), maxUpload),
                "rulePacks", rulePacks().toString()));
        this.tree = ConfigLoader.merge(defaults, o);
        this.config = ConfigLoader.load(tree, env, dataDir);
    }

    private Map<String, Object> startClamd(Path dir, long maxUploadBytes) {
        Optional<Path> binary = ClamdProcess.findBinary();
        if (binary.isEmpty()) {
            LOG.warn("clamd is NOT installed (Debian: apt-get install clamav-daemon): uploads will be REFUSED "
                    + "until a malware scanner is available");
            return Map.of("required", false);
        }
        clamd = SupervisedClamd.start(binary.get(), dir, maxUploadBytes, true, Duration.ofSeconds(120));
        services.add(clamd);
        return Map.of("host", clamd.host(), "port", clamd.port());
    }

    private static Map<String, Object> withMalwareWaived(Map<String, Object> tree) {
        return ConfigLoader.merge(tree, Map.of("dlp", Map.of("malware", Map.of("required", false),
                "rulePacks", rulePacks().toString())));
    }

    /** The rule packs shipped in the checkout the launcher runs from ({@code config/dlp}). */
    static Path rulePacks() {
        String home = System.getProperty("wardline.home", System.getProperty("wardline.repo.root", "."));
        return Path.of(home).resolve("config/dlp").toAbsolutePath().normalize();
    }

    private static int port(Integer flag, Map<String, Object> defaults, String listener) {
        int p = flag != null ? flag : defaultPort(defaults, listener);
        return p == 0 ? FreePorts.pick() : p;
    }

    @SuppressWarnings("unchecked")
    private static int defaultPort(Map<String, Object> defaults, String listener) {
        Object server = defaults.get("server");
        if (server instanceof Map<?, ?> s && s.get(listener) instanceof Map<?, ?> l && l.get("port") instanceof Number n) {
            return n.intValue();
        }
        return 0;
    }

    private static String readDefaults() {
        try (InputStream in = DevEnvironment.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DEFAULTS_RESOURCE + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WardlineConfig config() {
        return config;
    }

    /**
     * The configuration as a YAML tree (before {@code WARDLINE_*} overrides), holding the dev secrets: what a
     * {@code wardline serve --config} of another process needs to use these same services.
     */
    public Map<String, Object> configTree() {
        return tree;
    }

    /** The clamd this environment keeps running, or empty when clamd is not installed. */
    public Optional<SupervisedClamd> clamd() {
        return Optional.ofNullable(clamd);
    }

    /** Stops clamd, S3 and PostgreSQL, in the reverse order of their start. */
    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("service", services.get(i).getClass().getSimpleName())
                        .addKeyValue("errorType", e.getClass().getSimpleName()).log("embedded service did not stop cleanly");
            }
        }
        services.clear();
    }
}
