package org.wardline.server.cluster;

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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedKeysTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    private Vertx vertx;
    private Database database;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(), Secret.of(pg.password())));
    }

    @AfterEach
    void close() {
        database.close();
        vertx.close();
    }

    private static void await(Future<?> f) throws Exception {
        f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static SecretKey aesKey() throws Exception {
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        return g.generateKey();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void nodesWithTheSameKeysStartAndANodeWithItsOwnKeysIsRefusedNamingThem() throws Exception {
        SecretKey auth = aesKey();
        await(new SharedKeys().withPublic("pki.root", ascii("AA:BB")).withSecret("auth.keys", auth).verify(database.pool()));
        await(new SharedKeys().withPublic("pki.root", ascii("AA:BB")).withSecret("auth.keys", auth).verify(database.pool()));

        assertThatThrownBy(() -> await(new SharedKeys().withPublic("pki.root", ascii("CC:DD")).withSecret("auth.keys", aesKey())
                .verify(database.pool())))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageStartingWith("this node's pki.root, auth.keys differ from the cluster's");
        assertThatThrownBy(() -> await(new SharedKeys().withPublic("pki.root", ascii("AA:BB")).withSecret("auth.keys", aesKey())
                .verify(database.pool())))
                .cause().hasMessageStartingWith("this node's auth.keys differ");
    }

    @Test
    void aNodeWithAnotherPublicUrlIsRefusedNamingTheSetting() throws Exception {
        await(new SharedKeys().withIssuer(java.net.URI.create("https://wardline.example.org/")).verify(database.pool()));
        await(new SharedKeys().withIssuer(java.net.URI.create("https://wardline.example.org")).verify(database.pool()));

        assertThatThrownBy(() -> await(new SharedKeys().withIssuer(java.net.URI.create("https://node3.example.org"))
                .verify(database.pool())))
                .cause().hasMessageStartingWith("this node's server.publicUrl differ from the cluster's");
    }

    @Test
    void theSecretKeysCheckValueRevealsNotTheKey() throws Exception {
        SecretKey auth = aesKey();
        await(new SharedKeys().withSecret("auth.keys", auth).verify(database.pool()));
        String stored = database.pool().query("SELECT fingerprint FROM cluster_key_fingerprints WHERE name = 'auth.keys'").execute()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getString(0);
        assertThat(stored).hasSize(64).doesNotContain(java.util.HexFormat.of().formatHex(auth.getEncoded()));
    }
}
