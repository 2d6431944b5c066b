package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.server.account.NewUser;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionStoreTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    private Vertx vertx;
    private Database database;
    private SessionStore sessions;
    private User user;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                org.wardline.protocol.Secret.of(pg.password())));
        sessions = new SessionStore(database.pool(), Duration.ofMinutes(15), Duration.ofHours(12));
        user = await(org.wardline.server.testing.UserStores.sealed(database.pool()).create(new NewUser("nurse.joy", "joy@example.org", "Joy", null, null,
                Set.of(Role.NURSE)), null));
    }

    @AfterEach
    void close() {
        database.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    private SessionStore.Issued rotate(Secret<String> token) throws Exception {
        SessionStore.RefreshOutcome o = await(sessions.refresh(token));
        assertThat(o).isInstanceOf(SessionStore.RefreshOutcome.Rotated.class);
        return ((SessionStore.RefreshOutcome.Rotated) o).issued();
    }

    @Test
    void refreshTokensRotateAndAreStoredOnlyHashed() throws Exception {
        SessionStore.Issued first = await(sessions.open(user.id(), null, "password+totp", true));
        SessionStore.Issued second = rotate(first.refreshToken());
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.session().id()).isEqualTo(first.session().id());
        var stored = await(database.pool().query("SELECT encode(token_sha256, 'base64') FROM refresh_tokens").execute());
        stored.forEach(r -> assertThat(r.getString(0)).doesNotContain(first.refreshToken().reveal())
                .doesNotContain(second.refreshToken().reveal()));
        assertThat(await(sessions.check(first.session().id())).state()).isEqualTo(SessionStore.State.ACTIVE);
    }

    @Test
    void aReplayedRefreshTokenRevokesTheWholeFamily() throws Exception {
        SessionStore.Issued first = await(sessions.open(user.id(), null, "password+totp", true));
        SessionStore.Issued second = rotate(first.refreshToken());

        SessionStore.RefreshOutcome replay = await(sessions.refresh(first.refreshToken()));
        assertThat(replay).isEqualTo(new SessionStore.RefreshOutcome.Reused(first.session().id(), user.id()));
        assertThat(await(sessions.refresh(second.refreshToken()))).as("the thief's or the owner's newer token dies too")
                .isInstanceOf(SessionStore.RefreshOutcome.Invalid.class);
        assertThat(await(sessions.check(first.session().id())).state()).isEqualTo(SessionStore.State.REVOKED);
        assertThat(await(sessions.refresh(Secret.of("never-issued")))).isEqualTo(new SessionStore.RefreshOutcome.Invalid("unknown_token"));
    }

    @Test
    void anIdleSessionIsLoggedOffAndCannotBeRefreshed() throws Exception {
        SessionStore.Issued s = await(sessions.open(user.id(), null, "password+totp", true));
        await(database.pool().preparedQuery("UPDATE sessions SET last_seen_at = now() - interval '16 minutes' WHERE id = $1")
                .execute(Tuple.of(s.session().id())));
        assertThat(await(sessions.check(s.session().id())).state()).isEqualTo(SessionStore.State.IDLE);
        assertThat(await(sessions.refresh(s.refreshToken()))).isInstanceOf(SessionStore.RefreshOutcome.Invalid.class);
        var reason = await(database.pool().preparedQuery("SELECT revoke_reason FROM sessions WHERE id = $1")
                .execute(Tuple.of(s.session().id())));
        assertThat(reason.iterator().next().getString(0)).isEqualTo("idle");
    }

    @Test
    void signOutEverywhereAndDisablingEndEverySession() throws Exception {
        SessionStore.Issued a = await(sessions.open(user.id(), null, "password+totp", true));
        SessionStore.Issued b = await(sessions.open(user.id(), java.util.UUID.randomUUID(), "password+totp", true));
        assertThat(await(sessions.revokeAll(user.id(), "sign_out_everywhere"))).isEqualTo(2);
        assertThat(await(sessions.check(a.session().id())).state()).isEqualTo(SessionStore.State.REVOKED);
        assertThat(await(sessions.check(b.session().id())).state()).isEqualTo(SessionStore.State.REVOKED);

        SessionStore.Issued c = await(sessions.open(user.id(), null, "password+totp", true));
        await(org.wardline.server.testing.UserStores.sealed(database.pool()).setStatus(user.id(), UserStatus.DISABLED));
        assertThat(await(sessions.check(c.session().id())).state()).as("disabled user").isEqualTo(SessionStore.State.REVOKED);
        assertThat(await(sessions.refresh(c.refreshToken()))).isInstanceOf(SessionStore.RefreshOutcome.Invalid.class);
    }

    @Test
    void endsAreAnnouncedAndAnIdleOpenConnectionIsLoggedOffWithoutCountingTheCheckAsActivity() throws Exception {
        java.util.List<SessionEnds.Ended> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        SessionEnds ends = new SessionEnds(vertx);
        ends.subscribe(heard::add);
        SessionStore announcing = new SessionStore(database.pool(), Duration.ofMinutes(15), Duration.ofHours(12), ends);
        SessionStore.Issued idle = await(announcing.open(user.id(), null, "password+totp", true));
        SessionStore.Issued busy = await(announcing.open(user.id(), null, "password+totp", true));
        await(database.pool().query("UPDATE sessions SET last_seen_at = now() - interval '20 minutes'").execute());
        await(announcing.touch(busy.session().id()));
        assertThat(await(announcing.ended(java.util.List.of(idle.session().id(), busy.session().id()))))
                .containsExactly(idle.session().id());
        assertThat(await(database.pool().preparedQuery("SELECT revoke_reason FROM sessions WHERE id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(idle.session().id()))).iterator().next().getString(0)).isEqualTo("idle");
        await(announcing.revokeAll(user.id(), "sign_out_everywhere"));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (heard.size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0).covers(idle.session().id(), user.id())).isTrue();
        assertThat(heard.get(0).covers(busy.session().id(), user.id())).isFalse();
        assertThat(heard.get(1).covers(busy.session().id(), user.id())).isTrue();
    }
}
