package org.wardline.server.sharelink;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.embedded.TestSignatures;
import org.wardline.protocol.Secret;
import org.wardline.server.testing.WardlineServerExtension;

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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The share-link client end to end: enroll with the CLI, then upload, share, list and revoke with it. */
class ShareCliTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "true"));

    @TempDir
    Path scratch;

    private Path identity;
    private Path passphrase;

    /** One CLI run's exit code and streams. */
    record Run(int rc, String out, String err) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (!List.of(args).contains("--help")) {
            all.addAll(List.of("--identity", identity.toString(), "--passphrase-file", passphrase.toString()));
        }
        int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(rc, out.toString(), err.toString());
    }

    private String issueCode(UUID user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body()).getString("code");
    }

    private org.wardline.server.auth.WardlineApi.Account account;

    /** Runs the CLI with {@code stdin} as standard input (secrets for --stdin). */
    private Run cliWithInput(String stdin, String... args) {
        java.io.InputStream before = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return cli(args);
        } finally {
            System.setIn(before);
        }
    }

    @BeforeEach
    void enrollAndSignInWithTheCli() throws Exception {
        account = org.wardline.server.testing.EnrolledDevices.account(WARDLINE.server());
        identity = scratch.resolve("device.p12");
        passphrase = Files.writeString(scratch.resolve("pass"), "correct horse battery\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "enroll",
                "--server", "https://127.0.0.1:" + WARDLINE.server().publicPort(),
                "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(),
                "--code", issueCode(account.id), "--name", "ward 3 tablet", "--platform", "linux",
                "--identity", identity.toString(), "--passphrase-file", passphrase.toString());
        assertThat(rc).as(err.toString()).isZero();
        Run login = cliWithInput(org.wardline.server.auth.WardlineApi.PASSWORD + "\n" + account.nextCode() + "\n",
                "login", "--username", account.username, "--stdin");
        assertThat(login.rc()).as(login.err()).isZero();
        assertThat(login.out()).contains("signed in as " + account.username);
        Path session = scratch.resolve("device.p12.session");
        assertThat(session).exists();
        assertThat(Files.getPosixFilePermissions(session)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(session)).doesNotContain(org.wardline.server.auth.WardlineApi.PASSWORD);
    }

    @Test
    void afterLogoutUploadSaysToSignIn() throws Exception {
        Run logout = cli("logout");
        assertThat(logout.rc()).as(logout.err()).isZero();
        assertThat(logout.out()).contains("signed out");
        assertThat(scratch.resolve("device.p12.session")).doesNotExist();
        Path ok = Files.writeString(scratch.resolve("obs.txt"), "BP 120/80\n");
        Run upload = cli("upload", ok.toString());
        assertThat(upload.rc()).isEqualTo(1);
        assertThat(upload.err()).contains("not signed in", "wardline login", "client.not_signed_in");
    }

    @Test
    void aWrongCodeIsRefusedAndNothingIsSaved() throws Exception {
        cli("logout");
        Run login = cliWithInput(org.wardline.server.auth.WardlineApi.PASSWORD + "\n000000\n",
                "login", "--username", account.username, "--stdin");
        assertThat(login.rc()).isEqualTo(3);
        assertThat(login.err()).contains("auth.mfa_invalid");
        assertThat(scratch.resolve("device.p12.session")).doesNotExist();
    }

    @Test
    void stepUpWithTheCliAllowsSharingAgain() throws Exception {
        Run stepUp = cliWithInput(account.nextCode() + "\n", "step-up", "--stdin");
        assertThat(stepUp.rc()).as(stepUp.err()).isZero();
        assertThat(stepUp.out()).contains("confirmed");
        Run wrong = cliWithInput("000000\n", "step-up", "--stdin");
        assertThat(wrong.rc()).isEqualTo(3);
        assertThat(wrong.err()).contains("auth.mfa_invalid");
    }

    @Test
    void shareListRevokeThenTheLinkRefuses() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        Path letter = Files.writeString(scratch.resolve("discharge letter.txt"), "Discharge letter\nFollow-up in 2 weeks\n");
        Run shared = cli("share", letter.toString(), "--to", "patient@example.org", "--max-opens", "2", "--view-only");
        assertThat(shared.rc()).as(shared.err()).isZero();
        Matcher m = Pattern.compile("https://127\\.0\\.0\\.1:" + WARDLINE.server().publicPort()
                + "/s/([0-9a-f-]{36})#([A-Za-z0-9_-]+)").matcher(shared.out());
        assertThat(m.find()).as(shared.out()).isTrue();
        String id = m.group(1);
        String secret = m.group(2);
        assertThat(m.find()).as("the link is printed exactly once").isFalse();
        assertThat(shared.out()).contains("view only", "up to 2 opens", "grants access", "file ID", "committed")
                .doesNotContain("Code for the recipient");

        Run listed = cli("share", "list", "--json");
        assertThat(listed.rc()).as(listed.err()).isZero();
        JsonArray links = new JsonObject(listed.out()).getJsonArray("links");
        JsonObject link = links.stream().map(JsonObject.class::cast).filter(l -> l.getString("id").equals(id))
                .findFirst().orElseThrow();
        assertThat(link.getString("status")).isEqualTo("active");
        assertThat(link.getString("mode")).isEqualTo("view");
        assertThat(link.getInteger("maxOpens")).isEqualTo(2);
        assertThat(link.getString("recipient")).isEqualTo("p***@example.org");
        assertThat(link.getString("fileName")).isEqualTo("discharge letter.txt");
        assertThat(listed.out()).doesNotContain(secret).doesNotContain("patient@example.org");
        Run table = cli("share", "list");
        assertThat(table.rc()).as(table.err()).isZero();
        assertThat(table.out()).contains("RECIPIENT", "FILE").doesNotContain("patient@example.org");
        assertThat(table.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                .as("the nurse can tell the link apart: who and which file")
                .contains("active", "p***@example.org", "discharge letter.txt");

        ShareLinkClient patient = new ShareLinkClient(WARDLINE.server(),
                DeviceIdentity.load(identity, Secret.of("correct horse battery")).sslContext());
        Run revoked = cli("share", "revoke", id);
        assertThat(revoked.rc()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked");
        HttpResponse<String> start = patient.verifyStart(id, secret);
        assertThat(start.statusCode()).isEqualTo(410);
        assertThat(ShareLinkClient.error(start)).isEqualTo("link.revoked");

        root.detachAppender(logs);
        StringBuilder logged = new StringBuilder();
        synchronized (logs) {
            for (ILoggingEvent e : logs.list) {
                logged.append(e.getFormattedMessage()).append(' ');
                if (e.getKeyValuePairs() != null) {
                    e.getKeyValuePairs().forEach(kv -> logged.append(kv.key).append('=').append(kv.value).append(' '));
                }
            }
        }
        assertThat(logged.toString()).as("no link secret, recipient or file name in the logs")
                .doesNotContain(secret).doesNotContain("patient@example.org").doesNotContain("discharge letter");

        Run again = cli("share", "revoke", UUID.randomUUID().toString());
        assertThat(again.rc()).isEqualTo(3);
        assertThat(again.err()).contains("resource.not_found");
    }

    @Test
    void aLockedLinkShowsInTheListAndItsSenderUnlocksItWithTheCli() throws Exception {
        Path report = Files.writeString(scratch.resolve("lab report.txt"), "Potassium 4.1 mmol/L\n");
        Run shared = cli("share", report.toString(), "--phone", "+1 410 555 0137");
        assertThat(shared.rc()).as(shared.err()).isZero();
        Matcher m = Pattern.compile("/s/([0-9a-f-]{36})#").matcher(shared.out());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        new ShareLinkClient(WARDLINE.server(), DeviceIdentity.load(identity, Secret.of("correct horse battery")).sslContext())
                .sql("UPDATE share_links SET locked_at = now(), failed_attempts = 5 WHERE link_id = '" + id + "'");

        Run table = cli("share", "list");
        assertThat(table.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                .contains("locked", "***0137", "lab report.txt").doesNotContain("555");
        assertThat(table.out()).contains("wardline share unlock ID");

        Run unlocked = cli("share", "unlock", id);
        assertThat(unlocked.rc()).as(unlocked.err()).isZero();
        assertThat(unlocked.out()).contains("unlocked share link " + id);
        assertThat(cli("share", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow()).contains("active");
        Run again = cli("share", "unlock", id);
        assertThat(again.rc()).isZero();
        assertThat(again.out()).contains("was not locked");
        Run notMine = cli("share", "unlock", UUID.randomUUID().toString());
        assertThat(notMine.rc()).isEqualTo(3);
        assertThat(notMine.err()).contains("resource.not_found");
        Run officerRoute = cli("share", "unlock", id, "--as-officer");
        assertThat(officerRoute.rc()).as("a clinician is no security officer").isEqualTo(3);
    }

    @Test
    void aPhoneRecipientGetsTheCodeToPassOn() throws Exception {
        Path letter = Files.writeString(scratch.resolve("letter.txt"), "Clinic letter\n");
        Run shared = cli("share", letter.toString(), "--phone", "+44 20 7946 0958", "--expires", "3d");
        assertThat(shared.rc()).as(shared.err()).isZero();
        assertThat(shared.out()).containsPattern("Code for the recipient: \\d{6}").contains("view and download");
    }

    @Test
    void aShareRefusedForWantOfAJustificationKeepsNoUploadedFile() throws Exception {
        Path prescription = Files.writeString(scratch.resolve("prescription.txt"), "Prescriber DEA number: AB1234563\n");
        String committed = "SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED' AND owner_id = '" + account.id + "'";
        long before = count(committed);
        Run share = cli("share", prescription.toString(), "--to", "patient@example.org");
        assertThat(share.rc()).isNotZero();
        assertThat(share.err()).contains("link.justification_required", "was not kept", "Found: 1 DEA number.")
                .doesNotContain("AB1234563");
        assertThat(share.out()).doesNotContain("https://");
        assertThat(count(committed)).as("the upload made for the refused share is gone").isEqualTo(before);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.deleted' AND actor_user_id = '"
                + account.id + "' AND details LIKE '%\"reason\":\"withdrawn\"%'")).isEqualTo(1);
    }

    @Test
    void aShareRefusedForWantOfAStepUpKeepsNoUploadedFileAndNoLink() throws Exception {
        Path letter = Files.writeString(scratch.resolve("letter.txt"), "Clinic letter: review in two weeks.\n");
        String committed = "SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED' AND owner_id = '" + account.id + "'";
        String links = "SELECT count(*) FROM share_links WHERE owner_id = '" + account.id + "'";
        long filesBefore = count(committed);
        long linksBefore = count(links);
        sql("UPDATE sessions SET mfa_at = now() - interval '1 day' WHERE user_id = '" + account.id + "'");

        Run share = cli("share", letter.toString(), "--to", "patient@example.org");
        assertThat(share.rc()).isNotZero();
        assertThat(share.err()).contains("auth.step_up_required", "was not kept");
        assertThat(share.out()).doesNotContain("https://");
        assertThat(count(committed)).as("the upload made for the refused share is gone").isEqualTo(filesBefore);
        assertThat(count(links)).as("no link").isEqualTo(linksBefore);
        assertThat(count("SELECT count(*) FROM data_keys d JOIN stored_objects o ON o.object_id = d.object_id "
                + "WHERE o.owner_id = '" + account.id + "' AND o.state = 'DELETED' AND d.destroyed_at IS NULL"))
                .as("the withdrawn file's data key is destroyed").isZero();
    }

    @Test
    void aShareRefusedForWantOfPermissionStoresNothing() throws Exception {
        Path letter = Files.writeString(scratch.resolve("letter.txt"), "Clinic letter: review in two weeks.\n");
        String stored = "SELECT count(*) FROM stored_objects WHERE owner_id = '" + account.id + "'";
        long before = count(stored);
        long linksBefore = count("SELECT count(*) FROM share_links WHERE owner_id = '" + account.id + "'");
        sql("UPDATE users SET training_expires_on = current_date - 1 WHERE id = '" + account.id + "'");
        try {
            Run share = cli("share", letter.toString(), "--to", "patient@example.org");
            assertThat(share.rc()).isNotZero();
            assertThat(share.err()).contains("auth.training_expired");
            assertThat(share.out()).doesNotContain("https://");
            assertThat(count(stored)).as("no object row in any state").isEqualTo(before);
            assertThat(count("SELECT count(*) FROM share_links WHERE owner_id = '" + account.id + "'")).isEqualTo(linksBefore);
        } finally {
            sql("UPDATE users SET training_expires_on = current_date + 365 WHERE id = '" + account.id + "'");
        }
    }

    private static void sql(String sql) throws Exception {
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get();
    }

    private static long count(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get()
                .iterator().next().getLong(0);
    }

    @Test
    void eicarIsRefusedWithTheMalwareMessage() throws Exception {
        Path eicar = Files.write(scratch.resolve("notes.txt"), TestSignatures.EICAR.getBytes(StandardCharsets.US_ASCII));
        Run upload = cli("upload", eicar.toString());
        assertThat(upload.rc()).isEqualTo(3);
        assertThat(upload.err()).contains("The file contains malware; nothing was kept.", "upload.malware");
        assertThat(upload.out()).isEmpty();

        Run share = cli("share", eicar.toString(), "--to", "patient@example.org");
        assertThat(share.rc()).isEqualTo(3);
        assertThat(share.err()).contains("upload.malware");
        assertThat(share.out()).doesNotContain("https://");
    }

    @Test
    void uploadPrintsIdAndStateAndErrorsAreClear() throws Exception {
        Path ok = Files.writeString(scratch.resolve("obs.txt"), "BP 120/80\n");
        Run upload = cli("upload", ok.toString());
        assertThat(upload.rc()).as(upload.err()).isZero();
        assertThat(upload.out()).containsPattern("file ID [0-9a-f-]{36}, state committed");

        Run missing = cli("upload", scratch.resolve("nope.pdf").toString());
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).contains("there is no file", "nope.pdf", "client.file_not_found");
        Run missingShare = cli("share", scratch.resolve("nope.pdf").toString(), "--to", "patient@example.org");
        assertThat(missingShare.rc()).isEqualTo(1);
        assertThat(missingShare.err()).contains("there is no file");
        StringWriter err = new StringWriter();
        int rc = WardlineCli.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "upload",
                scratch.resolve("nope.pdf").toString(), "--identity", identity.toString(),
                "--passphrase-file", scratch.resolve("no-passphrase").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).as("the file is checked before the keystore is opened")
                .contains("there is no file").doesNotContain("passphrase");

        Run noRecipient = cli("share", ok.toString());
        assertThat(noRecipient.rc()).isEqualTo(2);
        assertThat(noRecipient.err()).contains("--to EMAIL or --phone NUMBER");
        Run badExpiry = cli("share", ok.toString(), "--to", "patient@example.org", "--expires", "soon");
        assertThat(badExpiry.rc()).isEqualTo(2);
        assertThat(badExpiry.err()).contains("72h or 3d");

        for (String[] help : new String[][] {{"upload", "--help"}, {"share", "--help"}, {"share", "list", "--help"},
                {"share", "revoke", "--help"}, {"share", "unlock", "--help"}}) {
            Run h = cli(help);
            assertThat(h.rc()).isZero();
            assertThat(h.out()).contains("Usage:", "Exit codes:");
        }
    }
}
