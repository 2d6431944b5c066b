package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.server.account.NewUser;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStore;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecondFactorsTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    @TempDir
    Path dir;

    private Vertx vertx;
    private Database database;
    private SecondFactors factors;
    private User user;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                org.wardline.protocol.Secret.of(pg.password())));
        AuthKeys keys = AuthKeys.loadOrCreate(dir.resolve("k.jwe"), Secret.of("pass phrase"));
        factors = new SecondFactors(database.pool(), new SecretBox(keys.secretWrappingKey()), Clock.systemUTC());
        user = await(org.wardline.server.testing.UserStores.sealed(database.pool()).create(new NewUser("dr.grey", null, null, null, null, Set.of(Role.CLINICIAN)), null));
    }

    @AfterEach
    void close() {
        database.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    private static String now(byte[] secret) {
        return Totp.code(secret, Totp.step(Instant.now()));
    }

    @Test
    void enrolmentNeedsAFirstCodeAndTheSecretIsEncryptedAtRest() throws Exception {
        byte[] secret = await(factors.beginTotp(user.id())).reveal();
        assertThat(await(factors.hasConfirmedTotp(user.id()))).isFalse();
        assertThat(await(factors.verifyTotp(user.id(), now(secret)))).as("unconfirmed credential").isFalse();
        assertThat(await(factors.confirmTotp(user.id(), "000000"))).isEmpty();
        List<Secret<String>> codes = await(factors.confirmTotp(user.id(), now(secret)));
        assertThat(codes).hasSize(SecondFactors.RECOVERY_CODES);
        assertThat(await(factors.hasConfirmedTotp(user.id()))).isTrue();

        byte[] stored = await(database.pool().query("SELECT secret_encrypted FROM totp_credentials").execute())
                .iterator().next().getBuffer(0).getBytes();
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(stored.length).isEqualTo(12 + secret.length + 16);
    }

    @Test
    void aTotpCodeIsAcceptedOnceWithinItsStep() throws Exception {
        byte[] secret = await(factors.beginTotp(user.id())).reveal();
        long step = Totp.step(Instant.now());
        await(factors.confirmTotp(user.id(), Totp.code(secret, step - 1)));
        String code = Totp.code(secret, step);
        assertThat(await(factors.verifyTotp(user.id(), code))).isTrue();
        assertThat(await(factors.verifyTotp(user.id(), code))).as("replayed within its step").isFalse();
        assertThat(await(factors.verifyTotp(user.id(), Totp.code(secret, step - 1)))).as("older step").isFalse();
    }

    @Test
    void recoveryCodesWorkOnceAndOnlyForTheirOwner() throws Exception {
        byte[] secret = await(factors.beginTotp(user.id())).reveal();
        List<Secret<String>> codes = await(factors.confirmTotp(user.id(), now(secret)));
        User other = await(org.wardline.server.testing.UserStores.sealed(database.pool()).create(new NewUser("dr.shepherd", null, null, null, null, Set.of()), null));
        assertThat(await(factors.useRecoveryCode(other.id(), codes.get(0).reveal()))).isFalse();
        assertThat(await(factors.useRecoveryCode(user.id(), " " + codes.get(0).reveal().toUpperCase() + " "))).isTrue();
        assertThat(await(factors.useRecoveryCode(user.id(), codes.get(0).reveal()))).as("second use").isFalse();
        assertThat(await(factors.useRecoveryCode(user.id(), codes.get(1).reveal()))).isTrue();
        var hashes = await(database.pool().query("SELECT encode(code_sha256, 'escape') FROM recovery_codes").execute());
        hashes.forEach(r -> assertThat(r.getString(0)).doesNotContain(codes.get(2).reveal()));
    }
}
