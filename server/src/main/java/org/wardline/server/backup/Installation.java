package org.wardline.server.backup;

import io.minio.MinioClient;
import org.postgresql.ds.PGSimpleDataSource;
import org.wardline.protocol.Secret;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.db.DatabaseSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** What a backup reads from, or a restore verifies against: one Wardline installation's configuration. */
record Installation(WardlineConfig config) {
    static final String AUDIT_KEYSTORE = "audit-signing.p12";
    static final String AUDIT_CERTIFICATE = "audit-signing.crt";
    static final String PKI_PREFIX = "keys/pki/";

    DataSource dataSource() {
        return dataSource(config.database().name());
    }

    DataSource dataSource(String databaseName) {
        WardlineConfig.Database d = config.database();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {d.host()});
        ds.setPortNumbers(new int[] {d.port()});
        ds.setDatabaseName(databaseName);
        ds.setUser(d.user());
        ds.setPassword(password().reveal());
        ds.setSslMode(switch (d.sslMode()) {
            case DISABLE -> "disable";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_FULL -> "verify-full";
        });
        return ds;
    }

    DatabaseSettings databaseSettings(String databaseName) {
        WardlineConfig.Database d = config.database();
        return DatabaseSettings.of(d.host(), d.port(), databaseName, d.user(), password())
                .withSsl(switch (d.sslMode()) {
                    case DISABLE -> DatabaseSettings.SslMode.DISABLE;
                    case VERIFY_CA -> DatabaseSettings.SslMode.VERIFY_CA;
                    case VERIFY_FULL -> DatabaseSettings.SslMode.VERIFY_FULL;
                }, Optional.empty());
    }

    private Secret<String> password() {
        return config.database().password() == null ? Secret.of("") : config.database().password();
    }

    MinioClient s3() {
        WardlineConfig.S3 s3 = config.s3();
        return MinioClient.builder().endpoint(s3.endpoint().toString()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey().reveal()).build();
    }

    List<String> buckets() {
        List<String> out = new ArrayList<>();
        out.add(config.s3().bucket());
        if (config.s3().quarantineBucket() != null && !config.s3().quarantineBucket().equals(config.s3().bucket())) {
            out.add(config.s3().quarantineBucket());
        }
        return out;
    }

    /**
     * The wrapped key material: file name in the backup → file on this host. The PKI directory's files (the CA and
     * audit keys as passphrase-sealed PKCS#12, their certificates) are listed by name so a restore can put them back.
     */
    List<KeyFile> keyFiles() {
        List<KeyFile> out = new ArrayList<>(List.of(new KeyFile("keys/keystore.json", config.keys().keystore()),
                new KeyFile("keys/auth-keys.jwe", config.dataDir().resolve("auth/keys.jwe"))));
        Path pki = config.pki().directory();
        if (java.nio.file.Files.isDirectory(pki)) {
            try (var files = java.nio.file.Files.list(pki)) {
                files.filter(java.nio.file.Files::isRegularFile).map(f -> f.getFileName().toString()).sorted()
                        .forEach(name -> out.add(new KeyFile(PKI_PREFIX + name, pki.resolve(name))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot list the PKI directory " + pki, e);
            }
        }
        return out;
    }

    /** Where the key file {@code name} of a backup goes on this host, or null when this host has no place for it. */
    Path keyFilePath(String name) {
        if (name.startsWith(PKI_PREFIX) && !name.substring(PKI_PREFIX.length()).contains("/")
                && !name.substring(PKI_PREFIX.length()).startsWith(".")) {
            return config.pki().directory().resolve(name.substring(PKI_PREFIX.length()));
        }
        return switch (name) {
            case "keys/keystore.json" -> config.keys().keystore();
            case "keys/auth-keys.jwe" -> config.dataDir().resolve("auth/keys.jwe");
            default -> null;
        };
    }

    Path auditKeystore() {
        return config.pki().directory().resolve(AUDIT_KEYSTORE);
    }

    Path auditCertificate() {
        return config.pki().directory().resolve(AUDIT_CERTIFICATE);
    }

    Secret<String> pkiPassphrase() {
        return config.pki().passphrase();
    }

    /** One key file: already sealed on disk (the keystore with Argon2id, the auth keys as a JWE). */
    record KeyFile(String name, Path path) {
    }
}
