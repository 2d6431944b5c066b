package org.wardline.server.auth.dpop;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.server.wipe.WipeModule;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser device marked lost: every request is refused with {@code device.wipe_pending}, except fetching and
 * confirming its wipe, which its DPoP key alone may do (its sessions are gone); another key may do neither.
 */
class BrowserWipeTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void admin() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("wipe.root");
    }

    @Test
    void aLostBrowserFetchesAndConfirmsItsWipeWithItsKeyAndNothingElse() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.lost", new JsonArray().add("nurse"), "2099-01-01");
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", nurse.accessToken, null);
        BrowserDeviceClient browser = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply enrolled = browser.send("POST", "/v1/devices/enroll", null, null, new JsonObject()
                .put("code", code.json().getString("code")).put("csr", browser.csr()).put("name", "ward PC")
                .put("platform", "chromium").put("kind", "browser"));
        assertThat(enrolled.status()).as(String.valueOf(enrolled.json())).isEqualTo(201);
        UUID deviceId = UUID.fromString(enrolled.json().getString("deviceId"));
        assertThat(browser.signIn(nurse).status()).isEqualTo(200);
        String wipe = "/v1/devices/me/wipe";
        WardlineApi.Reply none = browser.send("POST", wipe, browser.proof("POST", wipe, null), null, null);
        assertThat(none.status()).as(String.valueOf(none.json())).isEqualTo(200);
        assertThat(none.json().getString("wipe")).as("no wipe yet").isEqualTo("none");

        WARDLINE.server().module(WipeModule.class).wipeForIncident(deviceId, admin.id, null)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        WardlineApi.Reply me = browser.call("GET", "/v1/me", null);
        assertThat(me.status()).isEqualTo(403);
        assertThat(me.error()).isEqualTo("device.wipe_pending");
        WardlineApi.Reply login = browser.send("POST", "/v1/auth/login", browser.proof("POST", "/v1/auth/login", null), null,
                new JsonObject().put("username", nurse.username).put("password", WardlineApi.PASSWORD));
        assertThat(login.error()).as("no new session either").isEqualTo("device.wipe_pending");

        BrowserDeviceClient stranger = new BrowserDeviceClient(WARDLINE.server());
        assertThat(stranger.send("POST", wipe, stranger.proof("POST", wipe, null), null, null).status())
                .as("another key learns nothing").isEqualTo(403);
        assertThat(stranger.send("POST", wipe + "/confirm", stranger.proof("POST", wipe + "/confirm", null), null, null).status())
                .isEqualTo(403);
        assertThat(api.post(wipe + "/confirm", null, null).status()).as("no proof at all").isEqualTo(401);

        WardlineApi.Reply command = browser.send("POST", wipe, browser.proof("POST", wipe, null), null, null);
        assertThat(command.status()).as(String.valueOf(command.json())).isEqualTo(200);
        assertThat(command.json().getString("wipe")).isEqualTo("pending");
        String replayed = browser.proof("POST", wipe + "/confirm", null);
        WardlineApi.Reply confirmed = browser.send("POST", wipe + "/confirm", replayed, null, null);
        assertThat(confirmed.status()).as(String.valueOf(confirmed.json())).isEqualTo(200);
        assertThat(confirmed.json().getString("status")).isEqualTo("confirmed");
        assertThat(browser.send("POST", wipe + "/confirm", replayed, null, null).status()).as("a replayed proof").isEqualTo(401);
        WardlineApi.Reply after = browser.send("POST", wipe, browser.proof("POST", wipe, null), null, null);
        assertThat(after.status()).as("once wiped, the key is nobody's device").isEqualTo(403);
        assertThat(after.error()).isEqualTo("device.not_active");
    }
}
