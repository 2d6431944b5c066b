package org.wardline.server.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Dev mode's generated credentials (CA and keystore passphrases, S3 keys), kept in one owner-only file in
 * the data directory so that a restart finds the same CA, keys and objects. Production takes these from
 * its configuration and environment instead.
 */
public final class DevSecrets {
    static final String FILE = "dev-secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Properties values;

    private DevSecrets(Properties values) {
        this.values = values;
    }

    static DevSecrets loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
            }
            boolean changed = false;
            for (String key : new String[] {"pki.passphrase", "keys.passphrase", "s3.secretKey"}) {
                if (!p.containsKey(key)) {
                    p.setProperty(key, random(24));
                    changed = true;
                }
            }
            if (!p.containsKey("s3.accessKey")) {
                p.setProperty("s3.accessKey", "wardline-dev-" + random(6).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "x"));
                changed = true;
            }
            if (changed) {
                Files.createDirectories(dataDir);
                Path tmp = dataDir.resolve(FILE + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "Wardline dev mode credentials. Dev only: production reads these from its configuration.");
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new DevSecrets(p);
    }

    String get(String key) {
        return values.getProperty(key);
    }

    /** One credential of an existing dev data directory, for operator commands run beside a dev server. */
    public static String read(Path dataDir, String key) {
        if (!Files.exists(dataDir.resolve(FILE))) {
            throw new IllegalStateException("no dev data in " + dataDir + ": start ./wardline dev --data-dir " + dataDir + " first");
        }
        return loadOrCreate(dataDir).get(key);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
