package org.wardline.server.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.FrameConnection;
import org.wardline.clients.sdk.Files;
import org.wardline.clients.sdk.ShareLinks;
import org.wardline.clients.sdk.SignIn;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.account.Role;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Device feature routes need the client certificate and a session bound to that device, with the permission
 * the route declares; the messaging WebSocket is checked at upgrade and closed when its session ends.
 */
class DeviceSessionTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "true"));

    @TempDir
    static Path scratch;

    static SignedInDevice alice;
    static String aliceFile;

    @BeforeAll
    static void clinician() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
        Path letter = java.nio.file.Files.writeString(scratch.resolve("letter.txt"), "Clinic letter\nReview in clinic.\n");
        Files.StoredFile stored = Files.upload(alice.identity(), letter);
        assertThat(stored.committed()).isTrue();
        aliceFile = stored.id();
    }

    private static WardlineApi on(SignedInDevice device) {
        return WardlineApi.onDevice(WARDLINE.server(), device.sslContext());
    }

    private static DeviceCredentials messaging(SignedInDevice d, boolean withBearer) {
        DeviceCredentials c = new DeviceCredentials(d.sslContext(), new DeviceUri(d.userId(), d.deviceId()),
                URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort()));
        return withBearer ? c.withBearer(d.identity()::accessToken) : c;
    }

    private static FrameConnection connect(DeviceCredentials c) throws Exception {
        return FrameConnection.open(c, frame -> { }, () -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutATokenEveryFeatureRouteAnswers401() throws Exception {
        WardlineApi api = on(alice);
        for (String[] route : new String[][] {{"POST", "/v1/files"}, {"GET", "/v1/files/" + aliceFile},
                {"POST", "/v1/share-links"}, {"GET", "/v1/share-links"}, {"GET", "/v1/ws"}}) {
            WardlineApi.Reply r = api.call(route[0], route[1], null, null);
            assertThat(r.status()).as(route[1]).isEqualTo(401);
            assertThat(r.error()).as(route[1]).isEqualTo("auth.required");
        }
        assertThatThrownBy(() -> connect(messaging(alice, false))).isInstanceOf(ExecutionException.class);
        // The certificate alone is still enough for what concerns the device itself.
        assertThat(api.get("/v1/devices/me", null).status()).isEqualTo(200);
    }

    @Test
    void anotherDevicesTokenOrAPublicListenerTokenIsRefused() throws Exception {
        SignedInDevice second = EnrolledDevices.enroll(WARDLINE.server(), alice.userId());
        WardlineApi.Reply crossed = on(alice).get("/v1/files/" + aliceFile, second.bearer());
        assertThat(crossed.status()).isEqualTo(401);
        assertThat(crossed.error()).isEqualTo("auth.token_invalid");

        WardlineApi.Reply publicToken = on(alice).get("/v1/files/" + aliceFile, second.account().accessToken);
        assertThat(publicToken.status()).isEqualTo(401);
        assertThat(publicToken.error()).isEqualTo("auth.token_invalid");

        WardlineApi.Reply deviceTokenOnPublic = new WardlineApi(WARDLINE.server()).get("/v1/me", alice.bearer());
        assertThat(deviceTokenOnPublic.status()).isEqualTo(401);
        // Its own token works.
        assertThat(on(alice).get("/v1/share-links", alice.bearer()).status()).isEqualTo(200);
    }

    @Test
    void billingAndAuditorCannotUploadAndAdminCannotReadFilesOrOpenMessaging() throws Exception {
        Path note = java.nio.file.Files.writeString(scratch.resolve("note.txt"), "a note\n");
        for (Role role : new Role[] {Role.BILLING, Role.AUDITOR}) {
            SignedInDevice d = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(role), LocalDate.now().plusYears(1));
            assertThatThrownBy(() -> Files.upload(d.identity(), note)).as(role.wireName())
                    .isInstanceOfSatisfying(WardlineClientException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(403);
                        assertThat(e.errorCode()).isEqualTo("auth.forbidden");
                    });
        }
        SignedInDevice admin = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.ADMIN), LocalDate.now().plusYears(1));
        WardlineApi.Reply download = on(admin).get("/v1/files/" + aliceFile, admin.bearer());
        assertThat(download.status()).isEqualTo(403);
        assertThat(download.error()).isEqualTo("auth.forbidden");
        WardlineApi.Reply ws = on(admin).get("/v1/ws", admin.bearer());
        assertThat(ws.status()).isEqualTo(403);
        assertThat(ws.error()).isEqualTo("auth.forbidden");
        assertThatThrownBy(() -> connect(messaging(admin, true))).isInstanceOf(ExecutionException.class);
        // Refusals are audited (the audit write is asynchronous: wait for it, bounded).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long denied = 0;
        while (denied < 2 && System.nanoTime() < deadline) {
            denied = WARDLINE.server().database().pool()
                    .preparedQuery("SELECT count(*) FROM audit_entries WHERE action = 'account.access_denied' AND outcome = 'denied' "
                            + "AND actor_user_id = $1")
                    .execute(Tuple.of(admin.userId())).toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
        }
        assertThat(denied).as("refusals are audited").isGreaterThanOrEqualTo(2);
    }

    @Test
    void expiredTrainingStopsPhiAccess() throws Exception {
        SignedInDevice lapsed = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.CLINICIAN),
                LocalDate.now().minusDays(1));
        Path note = java.nio.file.Files.writeString(scratch.resolve("lapsed.txt"), "a note\n");
        assertThatThrownBy(() -> Files.upload(lapsed.identity(), note))
                .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("auth.training_expired"));
        WardlineApi.Reply ws = on(lapsed).get("/v1/ws", lapsed.bearer());
        assertThat(ws.error()).isEqualTo("auth.training_expired");
    }

    @Test
    void aShareLinkNeedsAFreshSecondFactor() throws Exception {
        SignedInDevice d = EnrolledDevices.enroll(WARDLINE.server());
        Path letter = java.nio.file.Files.writeString(scratch.resolve("share.txt"), "Discharge letter\n");
        String file = Files.upload(d.identity(), letter).id();
        WARDLINE.server().database().pool().preparedQuery("UPDATE sessions SET mfa_at = now() - interval '1 hour' WHERE device_id = $1")
                .execute(Tuple.of(d.deviceId())).toCompletionStage().toCompletableFuture().get();
        ShareLinks.Request request = ShareLinks.Request.of(file, ShareLinks.Recipient.email("patient@example.org"));
        assertThatThrownBy(() -> ShareLinks.create(d.identity(), request))
                .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("auth.step_up_required"));
        assertThatThrownBy(() -> SignIn.stepUp(d.identity(), Secret.of("000000")))
                .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("auth.mfa_invalid"));
        SignIn.stepUp(d.identity(), Secret.of(d.account().nextCode()));
        assertThat(ShareLinks.create(d.identity(), request).url()).contains("/s/");
        // Listing and revoking one's links need no step-up.
        assertThat(ShareLinks.list(d.identity())).hasSize(1);
    }

    @Test
    void signOutEverywhereClosesAnOpenMessagingConnectionWithinASecond() throws Exception {
        SignedInDevice d = EnrolledDevices.enroll(WARDLINE.server());
        FrameConnection open = connect(messaging(d, true));
        assertThat(open.closed()).isNotDone();
        WardlineApi.Reply r = new WardlineApi(WARDLINE.server()).post("/v1/auth/logout-all", d.account().accessToken, null);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        long start = System.nanoTime();
        open.closed().get(1, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(WARDLINE.server().accessControl().sessionConnections().openCount()).isZero();
    }

    @Test
    void signingOutOnTheDeviceClosesItsConnectionAndLeavesOthersOpen() throws Exception {
        SignedInDevice one = EnrolledDevices.enroll(WARDLINE.server());
        SignedInDevice two = EnrolledDevices.enroll(WARDLINE.server(), one.userId());
        FrameConnection first = connect(messaging(one, true));
        FrameConnection second = connect(messaging(two, true));
        assertThat(SignIn.logout(one.identity())).isTrue();
        first.closed().get(1, TimeUnit.SECONDS);
        CompletableFuture<Void> other = second.closed();
        Thread.onSpinWait();
        assertThat(other).isNotDone();
        assertThat(on(two).get("/v1/share-links", two.bearer()).status()).as("the other session still works").isEqualTo(200);
        second.close();
    }
}
