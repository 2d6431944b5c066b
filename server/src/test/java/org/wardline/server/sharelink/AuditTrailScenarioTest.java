package org.wardline.server.sharelink;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.Role;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day in the trail: a clinician signs in, uploads, shares with a patient who opens and downloads, an administrator
 * changes the clinician's roles and offboards them. Every step has exactly its entry with its details, and the trail
 * verifies intact afterwards.
 */
class AuditTrailScenarioTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @Test
    void everyStepHasExactlyItsEntryAndTheTrailVerifies() throws Exception {
        UUID clinicianId = UUID.randomUUID();
        SignedInDevice clinician = EnrolledDevices.enroll(WARDLINE.server(), clinicianId);
        // The fixture signs the new account in twice (TOTP enrolment on the public listener, then the device).
        String signIns = "SELECT details FROM audit_entries WHERE action = 'auth.signin.succeeded' AND actor_user_id = '"
                + clinicianId + "'";
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rows(signIns).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(rows(signIns)).isNotEmpty();

        ShareLinkClient owner = new ShareLinkClient(WARDLINE.server(), clinician);
        byte[] letter = "Discharge letter: follow-up in the fracture clinic in two weeks.\n".getBytes(StandardCharsets.UTF_8);
        String file = owner.upload(letter, "text/plain");
        assertThat(await("file.uploaded", "object_id = '" + file + "' AND outcome = 'success'", 1)).hasSize(1);

        ShareLinkClient.Link link = owner.create(file, new JsonObject().put("phone", "+44 20 7946 0958"), "download", 1);
        JsonObject created = new JsonObject(await("sharelink.created", "object_id = '" + link.id() + "'", 1).get(0));
        assertThat(created.getString("file")).isEqualTo(file);
        owner.verifyStart(link.id(), link.secret());
        HttpResponse<String> verified = owner.verify(link.id(), link.secret(), link.phoneCode().orElseThrow());
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(await("sharelink.opened", "object_id = '" + link.id() + "'", 1)).hasSize(1);
        HttpResponse<byte[]> download = owner.getWithSession("/s/" + link.id() + "/download",
                ShareLinkClient.sessionCookie(verified), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).isEqualTo(letter);
        assertThat(await("sharelink.download.started", "object_id = '" + link.id() + "'", 1)).hasSize(1);
        JsonObject downloaded = new JsonObject(await("sharelink.downloaded", "object_id = '" + link.id() + "'", 1).get(0));
        assertThat(downloaded.getBoolean("completed")).isTrue();
        assertThat(downloaded.getLong("bytesSent")).isEqualTo(letter.length);

        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account root = api.bootstrapAdmin("scenario.root");
        WardlineApi.Reply roles = api.call("PUT", "/v1/admin/users/" + clinicianId + "/roles", root.accessToken,
                new JsonObject().put("roles", new JsonArray().add("clinician").add("care_coordinator")));
        assertThat(roles.status()).as(String.valueOf(roles.json())).isEqualTo(200);
        JsonObject changed = new JsonObject(await("account.roles_changed", "object_id = '" + clinicianId + "'", 1).get(0));
        assertThat(changed.getJsonArray("before").getList()).containsExactly("clinician");
        assertThat(changed.getJsonArray("added").getList()).containsExactly("care_coordinator");

        SignedInDevice admin = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.ADMIN),
                LocalDate.now().plusYears(1));
        HttpResponse<String> off = HttpClient.newBuilder().sslContext(admin.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .build().send(admin.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                                + WARDLINE.server().devicePort() + "/v1/admin/users/" + clinicianId + "/offboard")))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        JsonObject offboarded = new JsonObject(await("admin.user.offboarded", "object_id = '" + clinicianId + "'", 1).get(0));
        assertThat(offboarded.getLong("devicesRevoked")).isEqualTo(1);

        var settings = WARDLINE.server().database().settings();
        org.postgresql.ds.PGSimpleDataSource jdbc = new org.postgresql.ds.PGSimpleDataSource();
        jdbc.setURL(settings.jdbcUrl());
        jdbc.setUser(settings.user());
        jdbc.setPassword(settings.password().reveal());
        VerificationReport report = AuditVerifier.verify(jdbc, AuditSigner.readPublicKey(
                WARDLINE.server().config().pki().directory().resolve(org.wardline.server.audit.AuditKeys.CERTIFICATE)));
        assertThat(report.valid()).as(report.summary()).isTrue();
    }

    /**
     * The details of the entries with this action and condition, once there are {@code expected} of them; fails if
     * there are more (every step has exactly its entry).
     */
    private static List<String> await(String action, String where, int expected) throws Exception {
        String sql = "SELECT details FROM audit_entries WHERE action = '" + action + "' AND " + where + " ORDER BY seq";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> rows = rows(sql);
        while (rows.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rows = rows(sql);
        }
        assertThat(rows).as(action).hasSize(expected);
        return rows;
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get()
                .forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
