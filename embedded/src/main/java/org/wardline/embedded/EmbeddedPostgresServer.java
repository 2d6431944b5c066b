package org.wardline.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

/**
 * A PostgreSQL server run from zonky's bundled binaries, on loopback, with its data kept under a directory
 * of ours so that a restart of {@code wardline dev} finds the same data.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    private static final String POSTMASTER_PID = "postmaster.pid";

    private final EmbeddedPostgres postgres;
    private final OrphanSentinel sentinel;
    private final long postmaster;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, OrphanSentinel sentinel, long postmaster) {
        this.postgres = postgres;
        this.sentinel = sentinel;
        this.postmaster = postmaster;
    }

    /**
     * Starts PostgreSQL with its data directory at {@code dataDir}, reusing the data already there. A
     * PostgreSQL that an earlier run left on that directory is stopped first; this one stops (fast shutdown)
     * when this JVM dies, however it dies.
     */
    public static EmbeddedPostgresServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            LeftoverProcess.stopIfRunning(dataDir.resolve(POSTMASTER_PID), "postgres", "PostgreSQL");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(FreePorts.pick())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    // zonky's default is off; a sender's ack promises the message is on disk.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            long postmaster = LeftoverProcess.readPid(dataDir.resolve(POSTMASTER_PID))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL started without a " + POSTMASTER_PID));
            return new EmbeddedPostgresServer(postgres, OrphanSentinel.guard(postmaster, "INT"), postmaster);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Starts a throw-away PostgreSQL in a temporary directory, for tests: without fsync and with asynchronous
     * commits, since its data dies with the test JVM anyway.
     */
    public static EmbeddedPostgresServer startTemporary() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new EmbeddedPostgresServer(postgres, null, -1);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** The postmaster's process id (-1 for a temporary server). */
    public long postmasterPid() {
        return postmaster;
    }

    /** The process id of the sentinel that stops PostgreSQL should this JVM die (-1 for a temporary server). */
    public long sentinelPid() {
        return sentinel == null ? -1 : sentinel.pid();
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public DataSource dataSource(String database) {
        return postgres.getDatabase(USER, database);
    }

    /** Creates {@code database} unless it exists. */
    public void ensureDatabase(String database) {
        requireIdentifier(database);
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    public void dropDatabase(String database) {
        requireIdentifier(database);
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + database, e);
        }
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
    }

    @Override
    public void close() {
        if (sentinel != null) {
            sentinel.close();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
