package org.wardline.server.backup;

import org.wardline.embedded.EmbeddedPostgresServer;
import org.wardline.embedded.EmbeddedS3Server;
import org.wardline.embedded.FreePorts;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevEnvironment;
import org.wardline.server.dev.DevRuntime;
import org.wardline.server.dev.DevSecrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The installation a backup command acts on: {@code --config FILE}, or else the dev installation {@code ./wardline dev}
 * lays out ({@code --data-dir}, default {@code wardline-data} in the working directory). A running dev server's
 * PostgreSQL and S3 are used as they are; for a stopped one they are started on its data for the command's length.
 * Either way the command prints where its configuration came from.
 */
final class InstallationSource implements AutoCloseable {
    static final String DEV_DATA_DIR = "wardline-data";

    private final Installation installation;
    private final List<AutoCloseable> started;

    private InstallationSource(Installation installation, List<AutoCloseable> started) {
        this.installation = installation;
        this.started = started;
    }

    static InstallationSource resolve(Path config, Path dataDir, Map<String, String> env, PrintWriter out) {
        if (config != null) {
            out.println("configuration: " + config.toAbsolutePath().normalize());
            return new InstallationSource(new Installation(ConfigLoader.load(config, env)), List.of());
        }
        Path dir = (dataDir != null ? dataDir : Path.of(DEV_DATA_DIR)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("dev-secrets.properties"))) {
            throw new BackupException("no --config given and no dev installation in " + dir + ": give --config FILE for "
                    + "a production server, or --data-dir DIR for a dev one");
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int postgresPort;
            URI s3Endpoint;
            String how;
            DevRuntime running = running(dir);
            URI recorded = running == null ? null : DevRuntime.s3Endpoint(dir).orElse(null);
            if (running != null && recorded != null) {
                postgresPort = running.postgresPort();
                s3Endpoint = recorded;
                how = "running dev server, pid " + running.pid();
            } else if (running != null) {
                throw new BackupException("the dev server on " + dir + " (pid " + running.pid() + ") predates this command: "
                        + "restart it, or stop it and run the command again");
            } else {
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
                started.add(postgres);
                postgres.ensureDatabase("wardline");
                EmbeddedS3Server s3 = EmbeddedS3Server.start(dir.resolve("s3"), FreePorts.pick(),
                        DevSecrets.read(dir, "s3.accessKey"), DevSecrets.read(dir, "s3.secretKey"));
                started.add(s3);
                postgresPort = postgres.port();
                s3Endpoint = s3.endpoint();
                how = "stopped dev server: its PostgreSQL and S3 started for this command";
            }
            out.println("configuration: dev installation " + dir + " (" + how + ")");
            return new InstallationSource(new Installation(devConfig(dir, postgresPort, "wardline", s3Endpoint, env)), started);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    Installation installation() {
        return installation;
    }

    private static DevRuntime running(Path dir) {
        try {
            return DevRuntime.read(dir);
        } catch (IllegalStateException notRunning) {
            return null;
        }
    }

    /** The configuration {@code wardline dev} builds for this data directory (see {@link DevEnvironment}), without clamd. */
    static WardlineConfig devConfig(Path dir, int postgresPort, String database, URI s3Endpoint, Map<String, String> env) {
        Map<String, Object> defaults = ConfigLoader.parseYaml(readDefaults(), DevEnvironment.DEFAULTS_RESOURCE);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dataDir", dir.toString());
        o.put("server", Map.of("publicUrl", "https://127.0.0.1"));
        o.put("tls", Map.of("certificate", dir.resolve("tls/server.crt").toString(),
                "privateKey", dir.resolve("tls/server.key").toString()));
        o.put("pki", Map.of("directory", dir.resolve("pki").toString(), "passphrase", DevSecrets.read(dir, "pki.passphrase")));
        o.put("database", Map.of("host", "127.0.0.1", "port", postgresPort, "name", database,
                "user", EmbeddedPostgresServer.USER, "sslMode", "disable"));
        o.put("storage", Map.of("s3", Map.of("endpoint", s3Endpoint.toString(),
                "accessKey", DevSecrets.read(dir, "s3.accessKey"), "secretKey", DevSecrets.read(dir, "s3.secretKey"))));
        o.put("keys", Map.of("keystore", dir.resolve("keys/keystore.json").toString(),
                "passphrase", DevSecrets.read(dir, "keys.passphrase")));
        String home = System.getProperty("wardline.home", System.getProperty("wardline.repo.root", "."));
        o.put("dlp", Map.of("malware", Map.of("required", false),
                "rulePacks", Path.of(home).resolve("config/dlp").toAbsolutePath().normalize().toString()));
        return ConfigLoader.load(ConfigLoader.merge(defaults, o), env, dir);
    }

    private static String readDefaults() {
        try (InputStream in = DevEnvironment.class.getResourceAsStream(DevEnvironment.DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DevEnvironment.DEFAULTS_RESOURCE + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(List<AutoCloseable> services) {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception ignored) {
                // Stopping what this command started; the data is on disk already.
            }
        }
    }
}
