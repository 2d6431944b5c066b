package org.wardline.storage.db;

import org.wardline.protocol.Secret;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where Wardline's PostgreSQL is and how to reach it. Validated on construction: every problem is reported at
 * once, each with the setting's name.
 *
 * @param host        host name or address
 * @param port        TCP port, 1–65535
 * @param database    database name
 * @param user        role name
 * @param password    the role's password (may be empty for trust authentication, as in tests)
 * @param sslMode     transport security; see {@link #of} for the default
 * @param sslRootCert PEM file with the CA that signed the server's certificate; empty means the JVM's trust store
 * @param poolSize    maximum connections in the Vert.x pool, 1–200
 */
public record DatabaseSettings(String host, int port, String database, String user, Secret<String> password,
                               SslMode sslMode, Optional<Path> sslRootCert, int poolSize) {

    /** The default pool size: enough for a small server, small enough for a shared PostgreSQL. */
    public static final int DEFAULT_POOL_SIZE = 8;

    public DatabaseSettings {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank()) {
            problems.add("database.host is missing");
        }
        if (port < 1 || port > 65535) {
            problems.add("database.port must be between 1 and 65535");
        }
        if (database == null || database.isBlank()) {
            problems.add("database.name is missing");
        }
        if (user == null || user.isBlank()) {
            problems.add("database.user is missing");
        }
        if (password == null) {
            problems.add("database.password is missing (use an empty secret for trust authentication)");
        }
        if (sslMode == null) {
            problems.add("database.sslMode is missing");
        }
        if (sslRootCert == null) {
            problems.add("database.sslRootCert must be given (Optional.empty() for the JVM trust store)");
        }
        if (poolSize < 1 || poolSize > 200) {
            problems.add("database.poolSize must be between 1 and 200");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid database settings: " + String.join("; ", problems));
        }
    }

    /**
     * Settings with the secure default transport: {@link SslMode#DISABLE} only when the host is a loopback
     * address (dev mode, tests), {@link SslMode#VERIFY_FULL} otherwise; the default pool size.
     */
    public static DatabaseSettings of(String host, int port, String database, String user, Secret<String> password) {
        SslMode mode = isLoopback(host) ? SslMode.DISABLE : SslMode.VERIFY_FULL;
        return new DatabaseSettings(host, port, database, user, password, mode, Optional.empty(), DEFAULT_POOL_SIZE);
    }

    /** A copy with another pool size. */
    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(host, port, database, user, password, sslMode, sslRootCert, size);
    }

    /** A copy with another transport security mode and CA file. */
    public DatabaseSettings withSsl(SslMode mode, Optional<Path> rootCert) {
        return new DatabaseSettings(host, port, database, user, password, mode, rootCert, poolSize);
    }

    /** The JDBC URL Flyway uses; it carries no password. */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host.contains(":") ? "[" + host + "]" : host)
                .append(':').append(port).append('/').append(database)
                .append("?sslmode=").append(sslMode.libpqName());
        sslRootCert.ifPresent(path -> url.append("&sslrootcert=").append(path.toAbsolutePath()));
        return url.toString();
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Only literal addresses are checked, so this never performs a DNS lookup.
            return isLiteralAddress(host) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isLiteralAddress(String host) {
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + ", sslMode=" + sslMode
                + ", poolSize=" + poolSize + "]";
    }

    /** PostgreSQL transport security, named as libpq names it. */
    public enum SslMode {
        /** No TLS. Acceptable only on loopback. */
        DISABLE("disable"),
        /** TLS without checking the server's certificate. */
        REQUIRE("require"),
        /** TLS, certificate checked against the CA, host name not checked. */
        VERIFY_CA("verify-ca"),
        /** TLS, certificate and host name checked: the default for remote servers. */
        VERIFY_FULL("verify-full");

        private final String libpqName;

        SslMode(String libpqName) {
            this.libpqName = libpqName;
        }

        public String libpqName() {
            return libpqName;
        }
    }
}
