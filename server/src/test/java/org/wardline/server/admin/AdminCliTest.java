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
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wardline admin …} end to end: an admin enrolls a device and signs in with the CLI, then administers with it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminCliTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    static Path scratch;

    static Path identity;
    static Path passphrase;
    static WardlineApi api;
    static WardlineApi.Account admin;

    record Run(int rc, String out, String err) {
        JsonObject json() {
            return new JsonObject(out);
        }
    }

    static Run cli(String... args) {
        return cliWithInput(null, args);
    }

    static Run cliWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--identity", identity.toString(), "--passphrase-file", passphrase.toString()));
        InputStream before = System.in;
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
            return new Run(rc, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    @BeforeAll
    static void anAdminEnrollsAndSignsInWithTheCli() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
        identity = scratch.resolve("device.p12");
        passphrase = Files.writeString(scratch.resolve("pass"), "correct horse battery\n");
        HttpResponse<String> code = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", admin.id.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).as(code.body()).isEqualTo(201);
        Run enrolled = cli("enroll", "--server", "https://127.0.0.1:" + WARDLINE.server().publicPort(),
                "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(),
                "--code", new JsonObject(code.body()).getString("code"), "--name", "admin laptop", "--platform", "linux");
        assertThat(enrolled.rc()).as(enrolled.err()).isZero();
        Run login = cliWithInput(WardlineApi.PASSWORD + "\n" + admin.nextCode() + "\n", "login", "--username", "admin", "--stdin");
        assertThat(login.rc()).as(login.err()).isZero();
    }

    @Test
    @Order(1)
    void retentionPoliciesAndADryRunWithJsonOutput() {
        Run set = cli("admin", "retention", "set", "messages", "30", "--json");
        assertThat(set.rc()).as(set.err()).isZero();
        assertThat(set.json().getInteger("days")).isEqualTo(30);
        Run floor = cli("admin", "retention", "set", "audit", "365");
        assertThat(floor.rc()).isEqualTo(3);
        assertThat(floor.err()).contains("retention.below_legal_floor", "six years");
        Run zero = cli("admin", "retention", "set", "files", "0");
        assertThat(zero.rc()).isEqualTo(3);
        assertThat(zero.err()).contains("retention.invalid");
        Run listed = cli("admin", "retention", "policies");
        assertThat(listed.rc()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("messages 30 days (organisation)");
        Run dry = cli("admin", "retention", "run", "--dry-run", "--json");
        assertThat(dry.rc()).as(dry.err()).isZero();
        assertThat(dry.json().getBoolean("dryRun")).isTrue();
        assertThat(dry.json().getJsonObject("audit").getInteger("retentionDays")).isEqualTo(2192);
        Run human = cli("admin", "retention", "run", "--dry-run");
        assertThat(human.out()).contains("messages: would delete 0", "not pruned");
    }

    @Test
    @Order(2)
    void holdsArePlacedListedAndReleasedAndADuplicateIsAConflict() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.held", new JsonArray().add("nurse"), "2099-01-01");
        Run noCustodian = cli("admin", "hold", "place", "--user", "nurse.held", "--matter", "LIT-2026-001", "--custodian");
        assertThat(noCustodian.rc()).isEqualTo(3);
        assertThat(noCustodian.err()).contains("legal_hold.no_custodian");
        WardlineApi.Account records = api.createAndSignIn(admin, "records.office", new JsonArray().add("records_custodian"), "2099-01-01");
        EnrolledDevices.enrollOnly(WARDLINE.server(), records.id);
        Run notACustodian = cli("admin", "hold", "place", "--user", "nurse.held", "--matter", "LIT-2026-001", "--custodian-user", "nurse.held");
        assertThat(notACustodian.rc()).isEqualTo(3);
        assertThat(notACustodian.err()).contains("legal_hold.custodian_invalid");
        Run placed = cli("admin", "hold", "place", "--user", "nurse.held", "--matter", "LIT-2026-001", "--custodian-user", "records.office",
                "--json");
        assertThat(placed.rc()).as(placed.err()).isZero();
        assertThat(placed.json().getString("subjectId")).isEqualTo(nurse.id.toString());
        assertThat(placed.json().getBoolean("custodianRequired")).isTrue();
        assertThat(placed.json().getString("custodianUserId")).isEqualTo(records.id.toString());
        Run again = cli("admin", "hold", "place", "--user", nurse.id.toString(), "--matter", "LIT-2026-002");
        assertThat(again.rc()).isEqualTo(3);
        assertThat(again.err()).contains("legal_hold.conflict");
        Run unknown = cli("admin", "hold", "place", "--user", "nobody.here", "--matter", "LIT-2026-003");
        assertThat(unknown.rc()).isEqualTo(3);
        assertThat(unknown.err()).contains("admin.unknown_user");
        Run active = cli("admin", "hold", "list", "--active", "--json");
        assertThat(active.json().getJsonArray("holds")).hasSize(1);
        String id = placed.json().getString("id");
        Run released = cli("admin", "hold", "release", id);
        assertThat(released.rc()).as(released.err()).isZero();
        assertThat(released.out()).contains("released: " + id);
    }

    @Test
    @Order(3)
    void offboardingByUsernameRevokesTheDeviceAndTransfersFiles() throws Exception {
        WardlineApi.Account leaver = api.createAndSignIn(admin, "dr.cli.leaver", new JsonArray().add("clinician"), "2099-01-01");
        api.createAndSignIn(admin, "dr.cli.heir", new JsonArray().add("clinician"), "2099-01-01");
        EnrolledDevices.enrollOnly(WARDLINE.server(), leaver.id);
        Run off = cli("admin", "users", "offboard", "dr.cli.leaver", "--transfer-files-to", "dr.cli.heir", "--json");
        assertThat(off.rc()).as(off.err()).isZero();
        assertThat(off.json().getInteger("devicesRevoked")).isEqualTo(1);
        assertThat(off.json().getString("status")).isEqualTo("disabled");
        Run unknown = cli("admin", "users", "offboard", UUID.randomUUID().toString());
        assertThat(unknown.rc()).isEqualTo(3);
        assertThat(unknown.err()).contains("admin.unknown_user");
        Run enabled = cli("admin", "users", "enable", "dr.cli.leaver");
        assertThat(enabled.rc()).as(enabled.err()).isZero();
        assertThat(enabled.out()).contains("enabled dr.cli.leaver");
    }

    @Test
    @Order(4)
    void anAccessReviewIsGeneratedAsJsonOrCsvAndSignedOffOnce() {
        Run review = cli("admin", "report", "access-review", "--json");
        assertThat(review.rc()).as(review.err()).isZero();
        String id = review.json().getString("reviewId");
        Run csv = cli("admin", "report", "access-review", "--format", "csv");
        assertThat(csv.out()).contains("user_id,username,status,roles,teams");
        Run signed = cli("admin", "report", "sign-off", id, "--decision", "approved", "--json");
        assertThat(signed.rc()).as(signed.err()).isZero();
        assertThat(signed.json().getString("decision")).isEqualTo("approved");
        Run twice = cli("admin", "report", "sign-off", id, "--decision", "approved");
        assertThat(twice.rc()).isEqualTo(3);
        assertThat(twice.err()).contains("resource.conflict");
        Run evidence = cli("admin", "report", "hipaa-evidence");
        assertThat(evidence.rc()).as("an admin does not read the audit trail").isEqualTo(3);
        assertThat(evidence.err()).contains("auth.forbidden");
    }
}
