package org.wardline.server.account;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.Secret;
import org.wardline.server.config.WardlineConfig;


import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static final WardlineConfig.Argon2 COST = new WardlineConfig.Argon2(19_456, 2, 1);
    private final PasswordHasher hasher = new PasswordHasher(VERTX, COST);

    @AfterAll
    static void close() {
        VERTX.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void hashesAreArgon2idPhcStringsWithRandomSaltAndVerify() throws Exception {
        Secret<String> pw = Secret.of("correct horse battery staple");
        String a = await(hasher.hash(pw));
        String b = await(hasher.hash(pw));
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b).doesNotContain("correct");
        assertThat(await(hasher.verify(pw, a))).isTrue();
        assertThat(await(hasher.verify(Secret.of("correct horse battery stapler"), a))).isFalse();
        assertThat(hasher.needsRehash(a)).isFalse();
        assertThat(new PasswordHasher(VERTX, new WardlineConfig.Argon2(47_104, 1, 1)).needsRehash(a)).isTrue();
    }

    @Test
    void anUnknownAccountIsCheckedAgainstADummyAndNeverMatches() throws Exception {
        assertThat(await(hasher.verify(Secret.of("anything at all here"), null))).isFalse();
    }

    @Test
    void unknownAccountsCostAboutAsMuchAsKnownOnes() throws Exception {
        String real = await(hasher.hash(Secret.of("correct horse battery staple")));
        for (int i = 0; i < 2; i++) { // warm up
            await(hasher.verify(Secret.of("wrong password here"), real));
            await(hasher.verify(Secret.of("wrong password here"), null));
        }
        long known = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            await(hasher.verify(Secret.of("wrong password here"), real));
            long t1 = System.nanoTime();
            await(hasher.verify(Secret.of("wrong password here"), null));
            long t2 = System.nanoTime();
            known = Math.min(known, t1 - t0);
            unknown = Math.min(unknown, t2 - t1);
        }
        assertThat((double) unknown).isBetween(known * 0.5, known * 2.0);
    }

    @Test
    void theEventLoopStaysFreeWhileAHashIsComputed() throws Exception {
        PasswordHasher costly = new PasswordHasher(VERTX, new WardlineConfig.Argon2(65_536, 3, 1));
        Context ctx = VERTX.getOrCreateContext();
        java.util.concurrent.CompletableFuture<String> order = new java.util.concurrent.CompletableFuture<>();
        StringBuilder events = new StringBuilder();
        ctx.runOnContext(v -> {
            costly.hash(Secret.of("correct horse battery staple")).onSuccess(h -> {
                events.append("hashed;");
                order.complete(events.toString());
            });
            VERTX.setTimer(1, id -> events.append("timer;"));
        });
        assertThat(order.get()).isEqualTo("timer;hashed;");
    }
}
