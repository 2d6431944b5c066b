package org.wardline.storage.db;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.FreePorts;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.storage.StorageUnavailableException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() {
        vertx.close().await();
    }

    static DatabaseSettings settings(PostgresExtension pg) {
        return DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(), Secret.of(pg.password()));
    }

    @Test
    void openMigratesTheSchemaAndPingSucceeds() throws Exception {
        try (Database db = Database.open(vertx, settings(PG))) {
            db.ping().await();
            assertThat(tables()).contains("data_keys", "stored_objects", "flyway_schema_history");
            long count = db.pool().query("SELECT count(*) FROM data_keys").execute().await()
                    .iterator().next().getLong(0);
            assertThat(count).isZero();
        }
    }

    @Test
    void synchronousCommitReportsTheSettingTheSessionsRunWith() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("ALTER DATABASE " + PG.database() + " SET synchronous_commit = off");
        }
        try (Database db = Database.openWithoutMigrating(vertx, settings(PG))) {
            assertThat(db.synchronousCommit().await()).isEqualTo("off");
        }
        try (Connection c = PG.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("ALTER DATABASE " + PG.database() + " SET synchronous_commit = remote_apply");
        }
        try (Database db = Database.openWithoutMigrating(vertx, settings(PG))) {
            assertThat(db.synchronousCommit().await()).isEqualTo("remote_apply");
        }
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() {
        assertThat(Database.migrate(settings(PG))).isGreaterThanOrEqualTo(2);
        assertThat(Database.migrate(settings(PG))).isZero();
    }

    @Test
    void pingFailsWithATypedErrorWhenPostgresIsUnreachable() {
        DatabaseSettings nowhere = DatabaseSettings.of("127.0.0.1", FreePorts.pick(), "wardline", "wardline",
                Secret.of("pw"));
        try (Database db = Database.openWithoutMigrating(vertx, nowhere)) {
            assertThatThrownBy(() -> db.ping().await()).isInstanceOf(StorageUnavailableException.class);
        }
        assertThatThrownBy(() -> Database.migrate(nowhere)).isInstanceOf(StorageUnavailableException.class)
                .hasMessageNotContaining("pw");
    }

    @Test
    void invalidSettingsReportEveryProblemAtOnce() {
        assertThatThrownBy(() -> new DatabaseSettings(" ", 0, "", null, null, DatabaseSettings.SslMode.DISABLE,
                java.util.Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database.host")
                .hasMessageContaining("database.port")
                .hasMessageContaining("database.name")
                .hasMessageContaining("database.user")
                .hasMessageContaining("database.password")
                .hasMessageContaining("database.poolSize");
    }

    @Test
    void remoteHostsDefaultToVerifyFullAndSecretsStayOutOfStrings() {
        DatabaseSettings remote = DatabaseSettings.of("db.hospital.example", 5432, "wardline", "wardline",
                Secret.of("hunter2-very-secret"));
        assertThat(remote.sslMode()).isEqualTo(DatabaseSettings.SslMode.VERIFY_FULL);
        assertThat(remote.jdbcUrl()).contains("sslmode=verify-full").doesNotContain("hunter2");
        assertThat(remote.toString()).doesNotContain("hunter2");
        assertThat(remote.password().toString()).isEqualTo("[REDACTED]");
        assertThat(settings(PG).sslMode()).isEqualTo(DatabaseSettings.SslMode.DISABLE);
    }

    private List<String> tables() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = PG.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
