package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wardline admin incident …} as a security officer runs it from an enrolled, signed-in CLI device: a
 * misdirected share opened by hand, its links revoked, a hold placed, the assessment and the notification recorded,
 * what was disclosed, the evidence sealed and verified offline, the report written, the incident closed; a refusal
 * exits 3 with the server's code.
 */
class IncidentCliTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static final String PASSPHRASE = "correct horse battery";
    @TempDir
    static Path scratch;

    record Run(int rc, String out, String err) {
    }

    static Run officer(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--identity", scratch.resolve("officer").toString()));
        return run(out, err, all, "");
    }

    private static Run run(StringWriter out, StringWriter err, List<String> all, String stdin) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                    Map.of("WARDLINE_DEVICE_PASSPHRASE", PASSPHRASE), all.toArray(String[]::new));
            return new Run(rc, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void anOfficerWorksAMisdirectedShareFromOpenToClosedOnTheCommandLine() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("admin");
        WardlineApi.Account so = api.createAndSignIn(admin, "so.kim", new JsonArray().add("security_officer"), "2099-01-01");
        HttpResponse<String> code = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", so.id.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        String identity = scratch.resolve("officer").toString();
        Run enrolled = run(new StringWriter(), new StringWriter(), List.of("enroll", "--server", "https://127.0.0.1:"
                + WARDLINE.server().publicPort(), "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(),
                "--code", new JsonObject(code.body()).getString("code"), "--name", "officer laptop", "--identity", identity), "");
        assertThat(enrolled.rc()).as(enrolled.err()).isZero();
        Run login = run(new StringWriter(), new StringWriter(), List.of("login", "-u", so.username, "--stdin", "--identity", identity),
                WardlineApi.PASSWORD + "\n" + so.nextCode() + "\n");
        assertThat(login.rc()).as(login.err()).isZero();

        SignedInDevice nurse = EnrolledDevices.enroll(WARDLINE.server());
        OfficerClient onNurse = new OfficerClient(WARDLINE.server(), nurse);
        String[] link = onNurse.share(onNurse.upload("results for the wrong patient"), "wrong.patient@example.org");

        Run opened = officer("admin", "incident", "open", "--category", "misdirected_share", "--severity", "high",
                "--subject", nurse.userId().toString(), "--json");
        assertThat(opened.rc()).as(opened.err()).isZero();
        String id = new JsonObject(opened.out()).getString("id");
        Run listed = officer("admin", "incident", "list", "--status", "open");
        assertThat(listed.out()).contains(id).contains("OPEN  high  misdirected_share");

        Run revoked = officer("admin", "incident", "revoke-links", id, "--user", nurse.userId().toString(), "--reason", "misdirected_share");
        assertThat(revoked.rc()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("contained: revoke_user_links user " + nurse.userId()).contains("\"shareLinksRevoked\":1");
        assertThat(onNurse.patientStarts(link)).isEqualTo(410);
        Run again = officer("admin", "incident", "revoke-links", id, "--user", nurse.userId().toString(), "--reason", "misdirected_share");
        assertThat(again.rc()).isEqualTo(3);
        assertThat(again.err()).contains("incident.already_contained");
        Run unknown = officer("admin", "incident", "suspend", id, "--user", java.util.UUID.randomUUID().toString(), "--reason", "investigation");
        assertThat(unknown.rc()).isEqualTo(3);
        assertThat(unknown.err()).contains("admin.unknown_user");
        Run held = officer("admin", "incident", "hold", id, "--user", nurse.userId().toString(), "--matter", "INC-CLI-1",
                "--reason", "preserve_evidence");
        assertThat(held.rc()).as(held.err()).isZero();
        assertThat(officer("admin", "incident", "status", id, "contained").out()).contains("CONTAINED");

        Path assessment = scratch.resolve("assessment.json");
        Files.writeString(assessment, IncidentResponseTest.assessment("breach", "medium", 1).encode());
        Run assessed = officer("admin", "incident", "assess", id, assessment.toString());
        assertThat(assessed.rc()).as(assessed.err()).isZero();
        assertThat(assessed.out()).contains("assessed: breach; deadline").contains("[\"individuals\"]");
        Run notified = officer("admin", "incident", "notify", id, "--recipient", "individuals", "--method", "first_class_mail",
                "--count", "1", "--sent", java.time.Instant.now().toString());
        assertThat(notified.rc()).as(notified.err()).isZero();
        Run disclosed = officer("admin", "incident", "disclosures", id);
        assertThat(disclosed.rc()).as(disclosed.err()).isZero();
        assertThat(disclosed.out()).contains("1 patients, 1 files, 1 links").doesNotContain("wrong.patient");

        Path evidence = scratch.resolve("evidence.p7m");
        Run sealed = officer("admin", "incident", "evidence", id, "-o", evidence.toString());
        assertThat(sealed.rc()).as(sealed.err()).isZero();
        assertThat(sealed.out()).contains("sealed").contains("sha256");
        assertThat(PackageVerification.verify(WARDLINE.server(), evidence)).startsWith("0 evidence package intact");
        assertThat(officer("admin", "incident", "lessons", id, "policy_gap").rc()).isZero();
        assertThat(officer("admin", "incident", "status", id, "notified").out()).contains("NOTIFIED");
        assertThat(officer("admin", "incident", "status", id, "closed").out()).contains("CLOSED");
        Path report = scratch.resolve("report.json");
        Run reported = officer("admin", "incident", "report", id, "-o", report.toString());
        assertThat(reported.rc()).as(reported.err()).isZero();
        assertThat(new JsonObject(Files.readString(report)).getJsonArray("lessonsLearned").getList()).containsExactly("policy_gap");
        assertThat(PackageVerification.verify(WARDLINE.server(), scratch.resolve("report.json.p7m")))
                .startsWith("0 evidence package intact");
        assertThat(Files.readAllBytes(scratch.resolve("report.json.pdf"))).as("the PDF beside it").startsWith("%PDF-".getBytes());
        assertThat(reported.out()).contains("report.json.pdf");
        Run shown = officer("admin", "incident", "show", id);
        assertThat(shown.out()).contains("containment.revoke_user_links").contains("containment.legal_hold")
                .contains("assessment.recorded").contains("notification.recorded").contains("evidence.sealed")
                .contains("reason misdirected_share");

        Run drill = officer("admin", "incident", "drill", "lost-device");
        assertThat(drill.rc()).as(drill.err()).isZero();
        assertThat(drill.out()).contains("DRILL lost-device: INC-").contains("CONTAINED (a drill, not a real incident)")
                .containsPattern("opened -> contained +\\d+ ms").contains("contained by suspend_account");
        String drillRef = drill.out().replaceAll("(?s).*DRILL lost-device: (INC-[0-9A-F-]+).*", "$1");
        assertThat(officer("admin", "incident", "list").out()).doesNotContain(drillRef);
        assertThat(officer("admin", "incident", "list", "--drills").out()).contains(drillRef);
        Run misdirected = officer("admin", "incident", "drill", "misdirected-link");
        assertThat(misdirected.rc()).as(misdirected.err()).isZero();
        assertThat(misdirected.out()).contains("DRILL misdirected-link: INC-").contains("CONTAINED (a drill, not a real incident)")
                .containsPattern("detection -> contained +\\d+ ms").contains("contained by revoke_file_links")
                .contains("with an address at example.invalid").containsPattern("share links revoked +1\\b")
                .doesNotContain("#").doesNotContain("/s/");
        String misdirectedRef = misdirected.out().replaceAll("(?s).*DRILL misdirected-link: (INC-[0-9A-F-]+).*", "$1");
        assertThat(officer("admin", "incident", "list").out()).doesNotContain(misdirectedRef);
        assertThat(officer("admin", "incident", "list", "--drills").out()).contains(misdirectedRef).contains("misdirected_share");
        Run badScenario = officer("admin", "incident", "drill", "flood");
        assertThat(badScenario.rc()).isEqualTo(2);
        assertThat(badScenario.err()).contains("unknown drill scenario 'flood'").contains("lost-device and misdirected-link");
        Run help = officer("admin", "incident", "drill", "--help");
        assertThat(help.out()).contains("lost-device:").contains("misdirected-link:").contains("example.invalid");
    }
}
