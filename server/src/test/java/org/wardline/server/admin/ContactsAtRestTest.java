package org.wardline.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack trial #19 item 2: a patient's e-mail address or phone number, or a clinician's e-mail address, must not be
 * readable in PostgreSQL's data directory or WAL (grep -a -r), yet the accounting of disclosures still finds a patient's
 * links by address and addresses stay unique regardless of case.
 */
class ContactsAtRestTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final String EMAIL = "Rest.Patient.Nineteen@example.org";
    private static final String PHONE = "+44 20 7946 0719";
    private static final String LEGACY = "legacy.patient.nineteen@example.org";
    private static final String CLINICIAN = "Dr.Mail.Nineteen@example.org";
    private static final String LEGACY_CLINICIAN = "legacy.officer.nineteen@example.org";

    private static List<Row> rows(String sql) throws Exception {
        List<Row> out = new ArrayList<>();
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture()
                .get(20, TimeUnit.SECONDS).forEach(out::add);
        return out;
    }

    @Test
    void contactDetailsAreSealedOnDiskAndStillFoundByTheDisclosureReport() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("admin");
        WardlineApi.Account sender = api.createAndSignIn(admin, "dr.rest", new JsonArray().add("clinician"), "2099-01-01");
        WardlineApi.Reply withMail = api.post("/v1/admin/users", admin.accessToken, account("dr.mail", CLINICIAN));
        assertThat(withMail.status()).as(String.valueOf(withMail.json())).isEqualTo(200);
        assertThat(withMail.json().getString("email")).isEqualTo(CLINICIAN);
        WardlineApi.Reply sameMail = api.post("/v1/admin/users", admin.accessToken, account("dr.mail2", CLINICIAN.toUpperCase()));
        assertThat(sameMail.status()).as("an address is unique regardless of case, by its keyed hash").isEqualTo(409);
        assertThat(rows("SELECT count(*) FROM users WHERE email IS NOT NULL OR (username = 'dr.mail' AND email_sealed IS NULL)")
                .get(0).getLong(0)).isZero();
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), sender.id)).signIn(sender);
        String file = device.upload("results letter");
        String[] byEmail = device.share(file, EMAIL);
        DeviceClient.Reply byPhone = device.post("/v1/share-links", new JsonObject().put("fileId", file)
                .put("recipient", new JsonObject().put("phone", PHONE)).put("mode", "view").put("maxOpens", 1)
                .put("expiresInHours", 24));
        assertThat(byPhone.status()).as(byPhone.body()).isEqualTo(201);
        String[] legacy = device.share(file, "placeholder.nineteen@example.org");

        WardlineApi.Account officer = api.createAndSignIn(admin, "so.rest", new JsonArray().add("security_officer"), null);
        DeviceClient so = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), officer.id)).signIn(officer);
        DeviceClient.Reply report = so.post("/v1/admin/reports/disclosures", new JsonObject().put("recipient", " " + EMAIL.toUpperCase() + " "));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().getInteger("links")).as("found by its keyed hash").isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM share_links WHERE recipient IS NOT NULL").get(0).getLong(0)).isZero();

        // A row written before sealing existed is sealed when the server next starts.
        WARDLINE.server().database().pool().query("UPDATE share_links SET recipient = '" + LEGACY + "', recipient_sealed = NULL, "
                + "recipient_hmac = NULL WHERE link_id = '" + legacy[0] + "'").execute().toCompletionStage().toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        WARDLINE.server().database().pool().query("UPDATE users SET email = '" + LEGACY_CLINICIAN + "', email_sealed = NULL, "
                + "email_hmac = NULL WHERE username = 'so.rest'").execute().toCompletionStage().toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        WARDLINE.restart();
        assertThat(rows("SELECT count(*) FROM users WHERE email IS NOT NULL").get(0).getLong(0)).isZero();
        api = new WardlineApi(WARDLINE.server());
        api.signIn(admin);
        WardlineApi.Reply users = api.get("/v1/admin/users", admin.accessToken);
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.json().encode()).as("sealed addresses open for the directory").contains(CLINICIAN, LEGACY_CLINICIAN);
        assertThat(rows("SELECT count(*) FROM share_links WHERE recipient IS NOT NULL OR recipient_sealed IS NULL").get(0).getLong(0))
                .isZero();
        so = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), officer.id)).signIn(officer);
        DeviceClient.Reply legacyReport = so.post("/v1/admin/reports/disclosures", new JsonObject().put("recipient", LEGACY));
        assertThat(legacyReport.json().getInteger("links")).as(legacyReport.body()).isEqualTo(1);
        device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), sender.id)).signIn(sender);
        DeviceClient.Reply list = device.get("/v1/share-links");
        assertThat(list.status()).as("every sealed recipient opens (AES-GCM authenticates it)").isEqualTo(200);
        assertThat(list.body()).contains(byEmail[0], legacy[0]);

        rows("CHECKPOINT");
        List<String> values = List.of(EMAIL, EMAIL.toLowerCase(), PHONE, PHONE.replace(" ", ""), "7946 0719", "79460719",
                CLINICIAN, CLINICIAN.toLowerCase(), CLINICIAN.toUpperCase());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(WARDLINE.dataDir().resolve("postgres"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (String v : values) {
                    if (indexOf(bytes, v.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        found.add(v + " in " + WARDLINE.dataDir().relativize(f));
                    }
                }
            }
        }
        assertThat(found).as("contact values in the data directory or WAL").isEmpty();
    }

    private static JsonObject account(String username, String email) {
        return new JsonObject().put("username", username).put("password", WardlineApi.PASSWORD).put("email", email)
                .put("roles", new JsonArray().add("clinician")).put("trainingExpiresOn", "2099-01-01");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
