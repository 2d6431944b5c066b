package org.wardline.embedded.junit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wardline.embedded.EmbeddedPostgresServer;

import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * A real PostgreSQL (embedded, started once per test JVM) with a fresh, empty database for every test,
 * dropped after it.
 *
 * <pre>{@code @RegisterExtension static final PostgresExtension PG = new PostgresExtension();}</pre>
 */
public final class PostgresExtension implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String database;

    @Override
    public void beforeEach(ExtensionContext context) {
        database = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        server().ensureDatabase(database);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (database != null) {
            server().dropDatabase(database);
            database = null;
        }
    }

    public EmbeddedPostgresServer server() {
        return SharedServices.postgres();
    }

    /** This test's database name. */
    public String database() {
        requireActive();
        return database;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server().port();
    }

    public String user() {
        return EmbeddedPostgresServer.USER;
    }

    /** The embedded server trusts loopback connections; any password is accepted. */
    public String password() {
        return "";
    }

    public String jdbcUrl() {
        return server().jdbcUrl(database());
    }

    public DataSource dataSource() {
        return server().dataSource(database());
    }

    private void requireActive() {
        if (database == null) {
            throw new IllegalStateException("PostgresExtension is used outside a test; register it with @RegisterExtension");
        }
    }
}
