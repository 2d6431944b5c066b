package org.wardline.server.auth.dpop;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The colleague directory reached by a browser device on the public listener (DPoP-bound session): a colleague by
 * exact user name, and a person's name by user ID only when one shares a conversation with them.
 */
class BrowserDirectoryTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static WardlineApi.Account nurse;
    private static WardlineApi.Account colleague;
    private static WardlineApi.Account stranger;
    private static BrowserDeviceClient browser;
    private static UUID browserDevice;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("dirb.root");
        nurse = api.createAndSignIn(admin, "nurse.ade", new JsonArray().add("nurse"), "2099-12-31");
        colleague = api.createAndSignIn(admin, "dr.lind", new JsonArray().add("clinician"), "2099-12-31");
        stranger = api.createAndSignIn(admin, "dr.far", new JsonArray().add("clinician"), "2099-12-31");
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", nurse.accessToken, null);
        browser = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply enrolled = browser.send("POST", "/v1/devices/enroll", null, null, new JsonObject()
                .put("code", code.json().getString("code")).put("csr", browser.csr()).put("name", "ward PC")
                .put("platform", "chromium").put("kind", "browser"));
        assertThat(enrolled.status()).as(String.valueOf(enrolled.json())).isEqualTo(201);
        browserDevice = UUID.fromString(enrolled.json().getString("deviceId"));
        assertThat(browser.signIn(nurse).status()).isEqualTo(200);
    }

    @Test
    void aBrowserDeviceFindsAColleagueByExactNameAndTheLookUpIsAudited() throws Exception {
        WardlineApi.Reply r = browser.call("GET", "/v1/directory/users/dr.lind", null);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        assertThat(r.json().getString("urn")).isEqualTo("urn:wardline:user:" + colleague.id);
        assertThat(r.json().fieldNames()).containsExactlyInAnyOrder("urn", "username", "displayName");
        assertThat(browser.call("GET", "/v1/directory/users/dr.li", null).status()).as("no prefixes").isEqualTo(404);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'directory.user.looked_up' AND object_id = $1",
                colleague.id.toString())).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aNameByIdIsAnsweredOnlyForPeopleOneSharesAConversationWith() throws Exception {
        String path = "/v1/directory/colleagues/" + colleague.id;
        WardlineApi.Reply before = browser.call("GET", path, null);
        assertThat(before.status()).as("no shared conversation yet").isEqualTo(404);
        assertThat(before.error()).isEqualTo("resource.not_found");
        WardlineApi.Reply unknown = browser.call("GET", "/v1/directory/colleagues/" + UUID.randomUUID(), null);
        assertThat(unknown.json().copy().put("requestId", "")).isEqualTo(before.json().copy().put("requestId", ""));

        shareConversation(new byte[] {7, 7, 7, 1}, colleague.id, UUID.randomUUID());
        WardlineApi.Reply shared = browser.call("GET", path, null);
        assertThat(shared.status()).as(String.valueOf(shared.json())).isEqualTo(200);
        assertThat(shared.json().getString("displayName")).isEqualTo("dr.lind");
        assertThat(shared.json().getString("urn")).isEqualTo("urn:wardline:user:" + colleague.id);
        assertThat(browser.call("GET", "/v1/directory/colleagues/" + stranger.id, null).status())
                .as("someone in no conversation with the nurse").isEqualTo(404);
        assertThat(browser.call("GET", "/v1/directory/colleagues/" + nurse.id, null).status()).as("oneself").isEqualTo(200);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'directory.user.named' AND object_id = $1",
                colleague.id.toString())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'directory.user.named' AND outcome = $1",
                "failure")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPasswordSessionOfABrowserThatWasNeverEnrolledIsToldToEnrollIt() throws Exception {
        WardlineApi.Reply byName = api.get("/v1/directory/users/dr.lind", nurse.accessToken);
        assertThat(byName.status()).isEqualTo(403);
        assertThat(byName.error()).isEqualTo("device.not_active");
        assertThat(api.get("/v1/directory/colleagues/" + colleague.id, nurse.accessToken).error()).isEqualTo("device.not_active");
    }

    @Test
    void theBrowsersTokenWithoutAProofFromItsKeyIsRefused() throws Exception {
        WardlineApi.Reply stolen = browser.send("GET", "/v1/directory/users/dr.lind", null, "DPoP " + browser.accessToken, null);
        assertThat(stolen.status()).isEqualTo(401);
        assertThat(api.get("/v1/directory/users/dr.lind", browser.accessToken).status()).isEqualTo(401);
    }

    private static void shareConversation(byte[] groupId, UUID otherUser, UUID otherDevice) throws Exception {
        var pool = WARDLINE.server().database().pool();
        long id = pool.preparedQuery("INSERT INTO conversations (group_id, created_by) VALUES ($1, $2) RETURNING id")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(groupId), nurse.id)).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getLong(0);
        pool.preparedQuery("INSERT INTO conversation_members (conversation_id, device_id, user_id, joined_epoch) VALUES ($1, $2, $3, 0), ($1, $4, $5, 1)")
                .execute(Tuple.of(id, browserDevice, nurse.id, otherDevice, otherUser)).toCompletionStage().toCompletableFuture().get();
    }

    private static long count(String sql, String value) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(value))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }
}
