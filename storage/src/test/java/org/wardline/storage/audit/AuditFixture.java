package org.wardline.storage.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import org.flywaydb.core.Flyway;
import org.wardline.embedded.junit.PostgresExtension;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A migrated test database with a Vert.x pool, and the superuser's direct SQL access an attacker would have. */
public final class AuditFixture implements AutoCloseable {
    /** One key for the whole test run: key generation is the slow part. */
    public static final AuditSigner SIGNER = AuditSigner.generate("wardline-audit-test");

    final PostgresExtension pg;
    final Vertx vertx;
    final Pool pool;

    private AuditFixture(PostgresExtension pg, int poolSize) {
        this.pg = pg;
        Flyway.configure()
                .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
                .locations("classpath:db/migration")
                .outOfOrder(true)
                .load()
                .migrate();
        this.vertx = Vertx.vertx();
        this.pool = newPool(poolSize);
    }

    /** Another pool on the same database: what a second server node would have. Closed with the Vert.x instance. */
    public Pool newPool(int size) {
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size))
                .connectingTo(new PgConnectOptions()
                        .setHost(pg.host())
                        .setPort(pg.port())
                        .setDatabase(pg.database())
                        .setUser(pg.user())
                        .setPassword(pg.password()))
                .using(vertx)
                .build();
    }

    public static AuditFixture start(PostgresExtension pg) {
        return new AuditFixture(pg, 4);
    }

    public static AuditFixture start(PostgresExtension pg, int poolSize) {
        return new AuditFixture(pg, poolSize);
    }

    public AuditLog log(AuditLogConfig config) {
        return new AuditLog(pool, SIGNER, config);
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** A plausible event; {@code n} varies the object so that entries differ. */
    static AuditEvent event(int n) {
        return AuditEvent.builder(AuditAction.FILE_DOWNLOADED, AuditOutcome.SUCCESS)
                .actor(new UUID(0, 42), new UUID(0, 7))
                .sourceIp(ip("192.0.2.10"))
                .object("file", new UUID(1, n))
                .requestId("req-" + n)
                .flag(AuditFlag.PHI_ACCESS)
                .details(AuditDetails.builder().put("bytes", 1000L + n).putCode("mime", "application/pdf").build())
                .build();
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    List<AuditReceipt> recordMany(AuditLog log, int count) {
        List<AuditReceipt> receipts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            receipts.add(await(log.record(event(i))));
        }
        return receipts;
    }

    /** Runs SQL as the database owner (a superuser here), with the append-only triggers disabled, as an attacker would. */
    void tamper(String... statements) throws SQLException {
        try (Connection conn = pg.dataSource().getConnection(); Statement st = conn.createStatement()) {
            st.execute("ALTER TABLE audit_entries DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
            for (String sql : statements) {
                st.execute(sql);
            }
            st.execute("ALTER TABLE audit_entries ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_checkpoints ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_chain_head ENABLE TRIGGER USER");
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection conn = pg.dataSource().getConnection(); Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection conn = pg.dataSource().getConnection();
             PreparedStatement st = conn.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        await(pool.close());
        await(vertx.close());
    }
}
