package org.wardline.server.cli;

import org.postgresql.ds.PGSimpleDataSource;
import org.wardline.protocol.Secret;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.dev.DevRuntime;
import org.wardline.server.dev.DevSecrets;
import picocli.CommandLine.Option;

import java.nio.file.Path;

import javax.sql.DataSource;

/**
 * The installation an operator command acts on: a production configuration file, or the data directory of
 * a running {@code wardline dev}. Use as a picocli {@code @ArgGroup(multiplicity = "1")}.
 */
public final class Target {
    @Option(names = "--config", description = "Production configuration file.")
    Path config;
    @Option(names = "--data-dir", description = "A dev-mode data directory (the dev server must be running).")
    Path dataDir;

    /** The database: host, port, name, user, password and TLS mode. */
    public record Db(String host, int port, String name, String user, Secret<String> password, String sslMode) {
    }

    public Db database() {
        if (config != null) {
            WardlineConfig.Database d = ConfigLoader.load(config, System.getenv()).database();
            String ssl = switch (d.sslMode()) {
                case DISABLE -> "disable";
                case VERIFY_CA -> "verify-ca";
                case VERIFY_FULL -> "verify-full";
            };
            return new Db(d.host(), d.port(), d.name(), d.user(), d.password() == null ? Secret.of("") : d.password(), ssl);
        }
        return new Db("127.0.0.1", DevRuntime.read(dataDir).postgresPort(), "wardline", "postgres", Secret.of(""), "disable");
    }

    public DataSource dataSource() {
        Db d = database();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {d.host()});
        ds.setPortNumbers(new int[] {d.port()});
        ds.setDatabaseName(d.name());
        ds.setUser(d.user());
        ds.setPassword(d.password().reveal());
        ds.setSslMode(d.sslMode());
        return ds;
    }

    public Path pkiDir() {
        return config != null ? ConfigLoader.load(config, System.getenv()).pki().directory() : dataDir.resolve("pki");
    }

    public Path keystore() {
        return config != null ? ConfigLoader.load(config, System.getenv()).keys().keystore() : dataDir.resolve("keys/keystore.json");
    }

    public Secret<String> keystorePassphrase() {
        return config != null ? ConfigLoader.load(config, System.getenv()).keys().passphrase()
                : Secret.of(DevSecrets.read(dataDir, "keys.passphrase"));
    }

    /** The passphrase of the PKI directory's keystores (the audit signing key among them). */
    public Secret<String> pkiPassphrase() {
        return config != null ? ConfigLoader.load(config, System.getenv()).pki().passphrase()
                : Secret.of(DevSecrets.read(dataDir, "pki.passphrase"));
    }
}
