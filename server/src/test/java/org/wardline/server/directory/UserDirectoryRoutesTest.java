package org.wardline.server.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/directory/users/:name} on a real server: exact names only, one answer for unknown and disabled. */
class UserDirectoryRoutesTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static WardlineApi api;
    static WardlineApi.Account admin;
    static WardlineApi.Account nurse;
    static WardlineApi.Account clinician;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("dir.root");
        nurse = api.createAndSignIn(admin, "nurse.kim", new JsonArray().add("nurse"), "2099-12-31");
        clinician = api.createAndSignIn(admin, "dr.osei", new JsonArray().add("clinician"), "2099-12-31");
    }

    @Test
    void anExactNameAnswersTheUrnAndDisplayNameAndIsAudited() throws Exception {
        Signed c = signedIn(clinician);
        WardlineApi.Reply r = c.api.get("/v1/directory/users/nurse.kim", c.bearer);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        assertThat(r.json().getString("urn")).isEqualTo("urn:wardline:user:" + nurse.id);
        assertThat(r.json().getString("displayName")).isEqualTo("nurse.kim");
        assertThat(r.json().fieldNames()).containsExactlyInAnyOrder("urn", "username", "displayName");
        assertThat(c.api.get("/v1/directory/users/NURSE.KIM", c.bearer).status()).as("user names are case-insensitive").isEqualTo(200);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'directory.user.looked_up' AND object_id = $1",
                nurse.id.toString())).as("audited before the answer").isGreaterThanOrEqualTo(2);
    }

    @Test
    void prefixesUnknownAndDisabledNamesAllAnswerTheSameNotFound() throws Exception {
        WardlineApi.Account gone = api.createAndSignIn(admin, "nurse.gone", new JsonArray().add("nurse"), "2099-12-31");
        Signed c = signedIn(clinician);
        WardlineApi.Reply prefix = c.api.get("/v1/directory/users/nurse", c.bearer);
        WardlineApi.Reply unknown = c.api.get("/v1/directory/users/nurse.nobody", c.bearer);
        WARDLINE.server().database().pool().preparedQuery("UPDATE users SET status = 'disabled' WHERE id = $1")
                .execute(Tuple.of(gone.id)).toCompletionStage().toCompletableFuture().get();
        WardlineApi.Reply disabled = c.api.get("/v1/directory/users/nurse.gone", c.bearer);
        WardlineApi.Reply wildcard = c.api.get("/v1/directory/users/nurse%25", c.bearer);
        for (WardlineApi.Reply r : java.util.List.of(prefix, unknown, disabled, wildcard)) {
            assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(404);
            assertThat(r.error()).isEqualTo("resource.not_found");
            assertThat(r.json().copy().put("requestId", "")).isEqualTo(unknown.json().copy().put("requestId", ""));
        }
    }

    @Test
    void aUserIdIsNamedOnlyToThoseWhoShareAConversationWithThatUser() throws Exception {
        WardlineApi.Account stranger = api.createAndSignIn(admin, "dir.stranger", new JsonArray().add("nurse"), "2099-12-31");
        WardlineApi.Account kim = api.createAndSignIn(admin, "nurse.park", new JsonArray().add("nurse"), "2099-12-31");
        WARDLINE.server().database().pool().preparedQuery("UPDATE users SET display_name = 'Kim Park' WHERE id = $1")
                .execute(Tuple.of(kim.id)).toCompletionStage().toCompletableFuture().get();
        Signed c = signedIn(clinician);
        Signed s = signedIn(stranger);
        assertThat(c.api.get("/v1/directory/colleagues/" + kim.id, c.bearer).status())
                .as("no conversation shared yet").isEqualTo(404);

        shareAConversation(clinician.id, kim.id);
        WardlineApi.Reply r = c.api.get("/v1/directory/colleagues/" + kim.id, c.bearer);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        assertThat(r.json().getString("displayName")).isEqualTo("Kim Park");
        assertThat(r.json().getString("username")).isEqualTo("nurse.park");
        assertThat(r.json().fieldNames()).containsExactlyInAnyOrder("urn", "username", "displayName");
        assertThat(s.api.get("/v1/directory/colleagues/" + stranger.id, s.bearer).status()).as("one's own name").isEqualTo(200);

        WardlineApi.Reply notShared = s.api.get("/v1/directory/colleagues/" + kim.id, s.bearer);
        WardlineApi.Reply unknown = s.api.get("/v1/directory/colleagues/" + UUID.randomUUID(), s.bearer);
        WardlineApi.Reply malformed = s.api.get("/v1/directory/colleagues/nurse.kim", s.bearer);
        for (WardlineApi.Reply refused : java.util.List.of(notShared, unknown, malformed)) {
            assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(404);
            assertThat(refused.json().copy().put("requestId", "")).isEqualTo(unknown.json().copy().put("requestId", ""));
        }
    }

    private static void shareAConversation(UUID a, UUID b) throws Exception {
        var pool = WARDLINE.server().database().pool();
        long conversation = pool.preparedQuery("INSERT INTO conversations (group_id, created_by) VALUES ($1, $2) RETURNING id")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(UUID.randomUUID().toString()), a))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
        for (UUID user : java.util.List.of(a, b)) {
            pool.preparedQuery("INSERT INTO conversation_members (conversation_id, device_id, user_id, joined_epoch) VALUES ($1, $2, $3, 0)")
                    .execute(Tuple.of(conversation, UUID.randomUUID(), user)).toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aRoleThatCannotInviteIsRefusedAndNoSignInIsUnauthenticated() throws Exception {
        WardlineApi.Account billing = api.createAndSignIn(admin, "dir.billing", new JsonArray().add("billing"), "2099-12-31");
        Signed b = signedIn(billing);
        WardlineApi.Reply r = b.api.get("/v1/directory/users/nurse.kim", b.bearer);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).isEqualTo("auth.forbidden");
        assertThat(b.api.get("/v1/directory/users/nurse.kim", null).status()).isEqualTo(401);
    }

    private record Signed(WardlineApi api, String bearer) {
    }

    private static Signed signedIn(WardlineApi.Account a) throws Exception {
        DeviceIdentity device = EnrolledDevices.enrollOnly(WARDLINE.server(), a.id);
        SignIn.password(device, a.username, Secret.of(WardlineApi.PASSWORD),
                () -> SignIn.SecondFactor.totp(Secret.of(a.nextCode())));
        return new Signed(WardlineApi.onDevice(WARDLINE.server(), device.sslContext()), device.accessToken().reveal());
    }

    private static long count(String sql, String id) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(id))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }
}
