package org.wardline.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.RemoteWipe;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first-day admin commands end to end (issue 16): users create/disable, teams, roles, training, devices
 * list/wipe (the wipe seen confirmed), and the security officer's alerts list/ack, each from a CLI device.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminDirectoryCliTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_ALERTS_FAILED_SIGN_INS_THRESHOLD", "3"));
    static final String PASSPHRASE = "correct horse battery";

    @TempDir
    static Path scratch;
    static WardlineApi api;
    static WardlineApi.Account admin;
    static WardlineApi.Account officer;

    record Run(int rc, String out, String err) {
        JsonObject json() {
            return new JsonObject(out);
        }
    }

    static Run as(String who, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--identity", scratch.resolve(who).toString()));
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
        try {
            int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                    Map.of("WARDLINE_DEVICE_PASSPHRASE", PASSPHRASE), all.toArray(String[]::new));
            return new Run(rc, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    static Run admin(String... args) {
        return as("admin", null, args);
    }

    static String opsCode(java.util.UUID user) throws Exception {
        HttpResponse<String> code = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).as(code.body()).isEqualTo(201);
        return new JsonObject(code.body()).getString("code");
    }

    static void enrollAndSignIn(String who, WardlineApi.Account account, String code) {
        Run enrolled = as(who, null, "enroll", "--server", "https://127.0.0.1:" + WARDLINE.server().publicPort(),
                "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(), "--code", code, "--name", who + " laptop");
        assertThat(enrolled.rc()).as(enrolled.err()).isZero();
        Run login = as(who, WardlineApi.PASSWORD + "\n" + account.nextCode() + "\n", "login", "-u", account.username, "--stdin");
        assertThat(login.rc()).as(login.err()).isZero();
    }

    @BeforeAll
    static void anAdminAndASecurityOfficerSignInOnTheirDevices() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
        enrollAndSignIn("admin", admin, opsCode(admin.id));
        officer = api.createAndSignIn(admin, "so.kim", new JsonArray().add("security_officer"), "2099-01-01");
        enrollAndSignIn("officer", officer, opsCode(officer.id));
    }

    @Test
    @Order(1)
    void usersAreCreatedGivenRolesAndTrainingThenDisabled() {
        Run created = as("admin", WardlineApi.PASSWORD + "\n", "admin", "users", "create", "dr.house", "--role", "clinician",
                "--training-until", "2027-01-31");
        assertThat(created.rc()).as(created.err()).isZero();
        assertThat(created.out()).contains("created dr.house (clinician)");
        Run weak = as("admin", "short\n", "admin", "users", "create", "dr.weak", "--role", "clinician");
        assertThat(weak.rc()).isEqualTo(3);
        assertThat(weak.err()).contains("auth.password_rejected");

        Run granted = admin("admin", "roles", "grant", "dr.house", "care_coordinator");
        assertThat(granted.rc()).as(granted.err()).isZero();
        assertThat(granted.out()).contains("now has care_coordinator,clinician");
        Run twice = admin("admin", "roles", "grant", "dr.house", "care_coordinator");
        assertThat(twice.rc()).isEqualTo(3);
        assertThat(twice.err()).contains("already has the role");
        Run revoked = admin("admin", "roles", "revoke", "dr.house", "clinician");
        assertThat(revoked.rc()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("now has care_coordinator");

        Run trained = admin("admin", "training", "record", "dr.house", "--until", "2028-02-29");
        assertThat(trained.rc()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("valid until 2028-02-29");
        Run training = admin("admin", "training", "list");
        assertThat(training.out()).contains("dr.house  current until 2028-02-29", "admin  none recorded");

        Run disabled = admin("admin", "users", "disable", "dr.house");
        assertThat(disabled.rc()).as(disabled.err()).isZero();
        Run listed = admin("admin", "users", "list");
        assertThat(listed.out()).containsPattern("dr\\.house  disabled  care_coordinator  training until 2028-02-29");
        Run self = admin("admin", "users", "disable", "admin");
        assertThat(self.rc()).as("an admin cannot lock themselves out").isEqualTo(3);
    }

    @Test
    @Order(2)
    void teamsAreCreatedListedAndTheirMembersChanged() {
        assertThat(admin("admin", "teams", "create", "Ward 9").rc()).isZero();
        assertThat(as("admin", WardlineApi.PASSWORD + "\n", "admin", "users", "create", "nurse.ada", "--role", "nurse",
                "--team", "Ward 9", "--training-until", "2027-01-31").rc()).isZero();
        assertThat(admin("admin", "teams", "add", "ward 9", "so.kim").rc()).isZero();
        Run listed = admin("admin", "teams", "list");
        assertThat(listed.out()).contains("Ward 9  nurse.ada, so.kim");
        Run removed = admin("admin", "teams", "remove", "Ward 9", "so.kim");
        assertThat(removed.out()).contains("removed so.kim from Ward 9");
        assertThat(admin("admin", "teams", "list", "--json").json().getJsonArray("teams").getJsonObject(0)
                .getJsonArray("members")).hasSize(1);
        Run unknown = admin("admin", "teams", "add", "Ward 404", "nurse.ada");
        assertThat(unknown.rc()).isEqualTo(3);
        assertThat(unknown.err()).contains("admin.unknown_team");
    }

    @Test
    @Order(3)
    void anInvitedDeviceIsListedWipedAndTheWipeSeenConfirmed() throws Exception {
        Run invited = as("admin", WardlineApi.PASSWORD + "\n", "admin", "users", "invite", "nurse.lost", "--role", "nurse");
        assertThat(invited.rc()).as(invited.err()).isZero();
        String code = invited.out().strip();
        assertThat(code).doesNotContain(" ").isNotEmpty();
        assertThat(invited.err()).contains("invited nurse.lost (nurse)", "one-time device enrollment code");
        Run enrolled = as("lost", null, "enroll", "--server", "https://127.0.0.1:" + WARDLINE.server().publicPort(),
                "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(), "--code", code, "--name", "ward 9 tablet");
        assertThat(enrolled.rc()).as(enrolled.err()).isZero();
        Run reused = as("lost2", null, "enroll", "--server", "https://127.0.0.1:" + WARDLINE.server().publicPort(),
                "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(), "--code", code);
        assertThat(reused.rc()).as("a code enrolls one device").isEqualTo(3);

        JsonObject device = admin("admin", "devices", "list", "--user", "nurse.lost", "--json").json().getJsonArray("devices").getJsonObject(0);
        assertThat(device.getString("name")).isEqualTo("ward 9 tablet");
        assertThat(device.getString("wipe")).isNull();
        String id = device.getString("id");
        assertThat(admin("admin", "devices", "list").out()).contains(id + "  nurse.lost  \"ward 9 tablet\"", "active until")
                .doesNotContain("it could not read");
        // Two messages the device acknowledged without reading (its ACK said so): the line says how many.
        WARDLINE.server().database().pool().preparedQuery("""
                        WITH c AS (INSERT INTO conversations (group_id, created_by) VALUES ($2, $3) RETURNING id)
                        INSERT INTO unread_deliveries (device_id, message_id, conversation_id, sender_device, reason)
                        SELECT $1, m, c.id, $3, 'undecryptable' FROM c, unnest(ARRAY[41, 42]::bigint[]) AS m""")
                .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(id), io.vertx.core.buffer.Buffer.buffer(new byte[16]),
                        java.util.UUID.randomUUID())).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(admin("admin", "devices", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                .endsWith("2 messages it could not read");

        Run wipe = officer("admin", "devices", "wipe", id);
        assertThat(wipe.rc()).as(wipe.err()).isZero();
        assertThat(wipe.out()).contains("pending");
        assertThat(officer("admin", "devices", "list", "--user", "nurse.lost").out()).contains("WIPE PENDING");

        Path identity = scratch.resolve("lost");
        DeviceIdentity lost = DeviceIdentity.load(identity.resolve("device.p12"), Secret.of(PASSPHRASE));
        DeviceCredentials creds = new DeviceCredentials(lost.sslContext(), DeviceUri.of(lost.userId(), lost.deviceId()), lost.deviceUrl());
        assertThat(RemoteWipe.wipeIfCommanded(creds, LocalVault.open(identity.resolve("chat"), PASSPHRASE.toCharArray()), identity)).isTrue();
        assertThat(identity.resolve("device.p12")).doesNotExist();

        JsonObject after = officer("admin", "devices", "list", "--user", "nurse.lost", "--json").json().getJsonArray("devices").getJsonObject(0);
        assertThat(after.getString("wipe")).isEqualTo("confirmed");
        assertThat(after.getString("revokedAt")).isNotNull();
        assertThat(officer("admin", "devices", "list", "--user", "nurse.lost").out()).contains("WIPED (confirmed");
    }

    @Test
    @Order(4)
    void theSecurityOfficerListsAndAcknowledgesAnAlertAndTheAdminMayNot() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", "nurse.ada")
                    .put("password", "not the password at all")).error()).isEqualTo("auth.failed");
        }
        JsonObject alert = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (alert == null && System.nanoTime() < deadline) {
            JsonArray open = officer("admin", "alerts", "list", "--open", "--json").json().getJsonArray("alerts");
            alert = open.stream().map(JsonObject.class::cast).filter(a -> a.getString("rule").equals("failed_signin_burst"))
                    .findFirst().orElse(null);
            if (alert == null) {
                Thread.sleep(200);
            }
        }
        assertThat(alert).as("the failed sign-in burst reached the alert list").isNotNull();
        assertThat(alert.getLong("auditEntrySeq")).isPositive();
        assertThat(alert.encode()).doesNotContain("nurse.ada", "not the password");
        String id = alert.getString("id");
        assertThat(officer("admin", "alerts", "list").out()).contains(id, "failed_signin_burst", "OPEN");

        Run forbidden = admin("admin", "alerts", "list");
        assertThat(forbidden.rc()).isEqualTo(3);
        assertThat(forbidden.err()).contains("auth.forbidden");

        Run ack = officer("admin", "alerts", "ack", id);
        assertThat(ack.rc()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("acknowledged alert " + id, "failed_signin_burst");
        String finalId = id;
        assertThat(officer("admin", "alerts", "list", "--open", "--json").json().getJsonArray("alerts").stream()
                .map(JsonObject.class::cast).noneMatch(a -> a.getString("id").equals(finalId))).isTrue();
        assertThat(officer("admin", "alerts", "list").out()).contains(id).contains("acknowledged 20");
        long audited = 0;
        for (io.vertx.sqlclient.Row row : WARDLINE.server().database().pool()
                .preparedQuery("SELECT count(*) FROM audit_entries WHERE action = 'alert.acknowledged' AND object_id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(id)).toCompletionStage().toCompletableFuture().get()) {
            audited = row.getLong(0);
        }
        long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (audited == 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
            audited = WARDLINE.server().database().pool()
                    .preparedQuery("SELECT count(*) FROM audit_entries WHERE action = 'alert.acknowledged' AND object_id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(id)).toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
        }
        assertThat(audited).as("the acknowledgement is in the audit trail").isEqualTo(1);
        Run again = officer("admin", "alerts", "ack", id);
        assertThat(again.rc()).as("acknowledging twice changes nothing").isZero();
    }

    @Test
    @Order(5)
    void aLockedShareLinkAlertNamesTheLinkAndTheOfficerMayUnlockIt() throws Exception {
        UUID link = UUID.randomUUID();
        WARDLINE.server().database().pool().preparedQuery("INSERT INTO security_alerts (id, rule, severity, occurred_at, audit_seq, "
                        + "alert_count, object_type, object_id, summary) VALUES ($1, 'share_link_locked', 'WARNING', now(), 1, 1, "
                        + "'sharelink', $2, 'share link locked after repeated wrong codes')")
                .execute(io.vertx.sqlclient.Tuple.of(UUID.randomUUID(), link.toString())).toCompletionStage().toCompletableFuture().get();
        Run listed = officer("admin", "alerts", "list", "--open");
        assertThat(listed.rc()).as(listed.err()).isZero();
        assertThat(listed.out().lines().filter(l -> l.contains("share_link_locked")).findFirst().orElseThrow())
                .contains("sharelink " + link, "OPEN");
        assertThat(listed.out()).contains("wardline share unlock LINK_ID --as-officer");
        Run unlock = officer("share", "unlock", link.toString(), "--as-officer");
        assertThat(unlock.rc()).as("the officer's route answers (no such link here), it does not forbid").isEqualTo(3);
        assertThat(unlock.err()).contains("resource.not_found");
    }

    static Run officer(String... args) {
        return as("officer", null, args);
    }
}
