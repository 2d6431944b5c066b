package org.wardline.storage.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.StorageUnavailableException;

/**
 * Wardline's PostgreSQL: schema migrations (Flyway, JDBC) and the Vert.x connection pool everything else uses.
 *
 * <p>Typical start-up, off the event loop because {@link #migrate} blocks:
 * <pre>{@code
 * DatabaseSettings settings = DatabaseSettings.of(host, port, "wardline", "wardline", Secret.of(password));
 * Database db = vertx.executeBlocking(() -> Database.open(vertx, settings)).await();
 * db.ping().await();
 * Pool pool = db.pool();
 * }</pre>
 *
 * <p>Migrations live on the classpath under {@code db/migration}, one file per version. Version ranges are
 * owned per module (storage: V10–V29); because modules add migrations independently, a migration with a lower
 * version than the newest applied one is still applied ({@code outOfOrder}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String MIGRATIONS = "classpath:db/migration";

    private final DatabaseSettings settings;
    private final Pool pool;

    private Database(DatabaseSettings settings, Pool pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Migrates the schema, then creates the pool. <b>Blocking</b> (JDBC): call it from a worker or virtual
     * thread ({@code vertx.executeBlocking}), never from an event loop.
     *
     * @throws StorageUnavailableException when PostgreSQL cannot be reached or a migration fails
     */
    public static Database open(Vertx vertx, DatabaseSettings settings) {
        migrate(settings);
        return new Database(settings, createPool(vertx, settings));
    }

    /** Creates the pool without migrating (for processes that must not change the schema). Non-blocking. */
    public static Database openWithoutMigrating(Vertx vertx, DatabaseSettings settings) {
        return new Database(settings, createPool(vertx, settings));
    }

    /**
     * Applies pending migrations and returns how many were applied. <b>Blocking</b> (JDBC): never call it on
     * an event loop.
     *
     * @throws StorageUnavailableException when PostgreSQL cannot be reached or a migration fails
     */
    public static int migrate(DatabaseSettings settings) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(settings.jdbcUrl(), settings.user(), settings.password().reveal())
                    .locations(MIGRATIONS)
                    .outOfOrder(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database schema migrated to version {} ({} migrations applied)",
                        result.targetSchemaVersion, result.migrationsExecuted);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StorageUnavailableException("database migration failed for " + settings, e);
        }
    }

    /** Creates a Vert.x pool for the settings without touching the schema; no connection is opened yet. */
    public static Pool createPool(Vertx vertx, DatabaseSettings settings) {
        PgConnectOptions connect = new PgConnectOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setDatabase(settings.database())
                .setUser(settings.user())
                .setPassword(settings.password().reveal())
                .setSslMode(toVertx(settings.sslMode()));
        if (settings.sslMode() != DatabaseSettings.SslMode.DISABLE) {
            ClientSSLOptions ssl = new ClientSSLOptions();
            if (settings.sslMode() == DatabaseSettings.SslMode.VERIFY_FULL) {
                ssl.setHostnameVerificationAlgorithm("HTTPS");
            }
            if (settings.sslMode() == DatabaseSettings.SslMode.REQUIRE) {
                ssl.setTrustAll(true);
            }
            settings.sslRootCert().ifPresent(path ->
                    ssl.setTrustOptions(new PemTrustOptions().addCertPath(path.toAbsolutePath().toString())));
            connect.setSslOptions(ssl);
        }
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(settings.poolSize()))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }

    /** The pool; shared, thread-safe, closed by {@link #close()}. */
    public Pool pool() {
        return pool;
    }

    /** The settings this database was opened with. */
    public DatabaseSettings settings() {
        return settings;
    }

    /** Round-trips {@code SELECT 1}; for health checks. Fails with {@link StorageUnavailableException}. */
    public Future<Void> ping() {
        return pool.query("SELECT 1").execute()
                .<Void>map(rows -> null)
                .recover(e -> Future.failedFuture(new StorageUnavailableException("database ping failed", e)));
    }

    /**
     * PostgreSQL's {@code synchronous_commit} as Wardline's sessions see it. At {@code off} a committed row can
     * be lost in a PostgreSQL crash, which breaks "persisted before the sender's ack".
     */
    public Future<String> synchronousCommit() {
        return pool.query("SHOW synchronous_commit").execute()
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** Closes the pool. */
    public Future<Void> closeAsync() {
        return pool.close();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static io.vertx.pgclient.SslMode toVertx(DatabaseSettings.SslMode mode) {
        return switch (mode) {
            case DISABLE -> io.vertx.pgclient.SslMode.DISABLE;
            case REQUIRE -> io.vertx.pgclient.SslMode.REQUIRE;
            case VERIFY_CA -> io.vertx.pgclient.SslMode.VERIFY_CA;
            case VERIFY_FULL -> io.vertx.pgclient.SslMode.VERIFY_FULL;
        };
    }
}
