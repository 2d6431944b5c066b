package org.wardline.server.bootstrap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BootstrapCodesTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    private Vertx vertx;
    private Database database;
    private BootstrapCodes codes;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                org.wardline.protocol.Secret.of(pg.password())));
        codes = new BootstrapCodes(database.pool());
    }

    @AfterEach
    void close() {
        database.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aCodeIsRedeemedExactlyOnceAndThenNoMoreAreIssued() throws Exception {
        Secret<String> code = await(codes.issueIfUnclaimed()).orElseThrow();
        assertThat(code.reveal()).matches("([A-Z2-9]{5}-){5}[A-Z2-9]{5}");

        assertThat(await(codes.redeem(Secret.of("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")))).isFalse();
        assertThat(await(codes.redeem(Secret.of(code.reveal().toLowerCase())))).isTrue();
        assertThat(await(codes.redeem(code))).as("replayed").isFalse();
        assertThat(await(codes.issueIfUnclaimed())).isEqualTo(Optional.empty());
    }

    @Test
    void onlyTheHashIsStored() throws Exception {
        Secret<String> code = await(codes.issueIfUnclaimed()).orElseThrow();
        var rows = await(database.pool().query("SELECT encode(code_sha256, 'escape') FROM bootstrap_codes").execute());
        assertThat(rows.iterator().next().getString(0)).doesNotContain(code.reveal());
    }
}
