package org.wardline.server.health;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommitDurabilityTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private Vertx vertx;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CommitDurability.class);

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logs);
        vertx.close().await();
    }

    @Test
    void aDatabaseThatCommitsAsynchronouslyIsReportedAtStart() throws Exception {
        setSynchronousCommit("off");
        assertThat(warningsAfterTheCheck()).singleElement().satisfies(w -> {
            assertThat(w.getLevel()).isEqualTo(Level.WARN);
            assertThat(w.getFormattedMessage()).contains("synchronous_commit=off", "LOST");
        });
    }

    @Test
    void aDatabaseThatCommitsDurablyPassesQuietly() throws Exception {
        setSynchronousCommit("on");
        assertThat(warningsAfterTheCheck()).isEmpty();
    }

    private List<ILoggingEvent> warningsAfterTheCheck() {
        try (Database db = Database.openWithoutMigrating(vertx,
                DatabaseSettings.of(PG.host(), PG.port(), PG.database(), PG.user(), Secret.of(PG.password())))) {
            CommitDurability.warnIfAsynchronous(db).await();
        }
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private static void setSynchronousCommit(String value) throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + PG.database() + " SET synchronous_commit = " + value);
        }
    }
}
