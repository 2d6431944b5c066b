package org.wardline.server.backup;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.chat.ChatSession;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.MainAccess;
import org.wardline.server.WardlineServer;
import org.wardline.server.dev.DevEnvironment;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled backups of a running dev server, encrypted to a recipient key, and a disaster-recovery restore of one
 * onto a fresh host (new PostgreSQL, new s3proxy, an empty data directory with only the operator's secrets): a
 * server started on the restored data serves the uploaded file with the same SHA-256 and its audit chain verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisasterRestoreTest {
    private static final Path KEYS = tempDir("wardline-backup-keys-");
    private static final Path DESTINATION = tempDir("wardline-backups-");
    private static final RecipientKey.Pair PAIR = writeKeys();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_BACKUP_RECIPIENT_KEY", KEYS.resolve("public.json").toString(),
            "WARDLINE_BACKUP_SCHEDULE", "daily 03:00",
            "WARDLINE_BACKUP_DESTINATION", DESTINATION.toString(),
            "WARDLINE_BACKUP_RETAIN", "2"));

    @TempDir
    Path scratch;

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RecipientKey.Pair writeKeys() {
        RecipientKey.Pair pair = RecipientKey.generate();
        try {
            Files.writeString(KEYS.resolve("public.json"), pair.publicKeyset());
            Files.writeString(KEYS.resolve("private.json"), pair.privateKeyset().reveal());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pair;
    }

    private static ScheduledBackups scheduled() {
        return WARDLINE.server().module(ScheduledBackups.class);
    }

    @Test
    @Order(1)
    void scheduledBackupsRunOnOneNodeAreAuditedAndPrunedToTheRetentionCount() throws Exception {
        Installation installation = new Installation(WARDLINE.server().config());
        try (Connection other = installation.dataSource().getConnection(); Statement s = other.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + ScheduledBackups.LOCK_KEY + ")");
            assertThat(run(scheduled())).as("another node holds the lock").isEqualTo("skipped");
            s.execute("SELECT pg_advisory_unlock(" + ScheduledBackups.LOCK_KEY + ")");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(run(scheduled())).isEqualTo("completed");
        }
        List<String> kept = BackupDestination.of(installation, DESTINATION.toString()).list();
        assertThat(kept).hasSize(2).allMatch(n -> n.startsWith("wardline-"));
        assertThat(Files.list(DESTINATION).count()).isEqualTo(2);
        BackupHeader header = BackupHeader.decode(Files.readAllBytes(DESTINATION.resolve(kept.get(1)).resolve(BackupHeader.NAME)));
        assertThat(header.sealing()).isInstanceOfSatisfying(BackupHeader.RecipientSealing.class,
                r -> assertThat(r.keyId()).isEqualTo(PAIR.keyId()));

        List<String> details = auditDetails(installation, "backup.completed");
        assertThat(details).hasSize(3);
        assertThat(details.get(2)).contains("\"objects\"", "\"bytes\"", "\"rows\"", "\"pruned\"");
        assertThat(ScheduledBackups.untilNext(WARDLINE.server().config().backup(),
                java.time.Instant.parse("2026-11-23T02:00:00Z"))).isEqualTo(Duration.ofHours(1));
        assertThat(ScheduledBackups.untilNext(WARDLINE.server().config().backup(),
                java.time.Instant.parse("2026-11-23T04:00:00Z"))).isEqualTo(Duration.ofHours(23));
    }

    @Test
    @Order(2)
    void aFailedScheduledBackupIsAuditedWithoutDetailsOfTheData() throws Exception {
        var c = WARDLINE.server().config();
        Path notADirectory = Files.writeString(scratch.resolve("a-file"), "x");
        var broken = new org.wardline.server.config.WardlineConfig(c.dataDir(), c.publicListener(), c.deviceListener(),
                c.opsListener(), c.publicUrl(), c.tls(), c.pki(), c.database(), c.s3(), c.keys(), c.malware(), c.uploads(),
                c.mail(), c.auth(), c.cluster(), c.alerts(), c.retention(),
                new org.wardline.server.config.WardlineConfig.Backup(c.backup().recipientKey(), null,
                        java.time.LocalTime.of(3, 0), java.time.ZoneOffset.UTC, notADirectory.toString(), 2), c.delivery(), c.branding());
        ScheduledBackups failing = new ScheduledBackups(WARDLINE.server().vertx(), broken, WARDLINE.server().database().pool(),
                WARDLINE.server().audit(), java.time.Clock.systemUTC());
        assertThat(run(failing)).isEqualTo("failed");
        List<String> details = auditDetails(new Installation(c), "backup.failed");
        assertThat(details).hasSize(1);
        assertThat(details.get(0)).contains("\"error\"").doesNotContain(notADirectory.toString());
    }

    /** Last: it stops the source server, as a disaster would. */
    @Test
    @Order(3)
    void aScheduledBackupRestoresOntoAFreshHostWhoseServerServesTheFile() throws Exception {
        WardlineServer source = WARDLINE.server();
        UUID aliceUser = CareTeams.teamMate(source);
        SignedInDevice alice = EnrolledDevices.enroll(source, aliceUser);
        byte[] content = new byte[200_000];
        new SecureRandom().nextBytes(content);
        HttpResponse<String> uploaded = client(alice).send(alice.authorize(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + source.devicePort() + "/v1/files")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("scan.bin".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String fileId = new JsonObject(uploaded.body()).getString("id");
        long messages = sendAMessage(source);
        assertThat(messages).isPositive();

        assertThat(run(scheduled())).isEqualTo("completed");
        Installation installation = new Installation(source.config());
        List<String> kept = BackupDestination.of(installation, DESTINATION.toString()).list();
        Path backup = DESTINATION.resolve(kept.get(kept.size() - 1));
        Path certificate = Files.copy(installation.auditCertificate(), scratch.resolve("audit-signing.crt"));

        Path host = scratch.resolve("new-host");
        Files.createDirectories(host);
        Files.copy(WARDLINE.dataDir().resolve("dev-secrets.properties"), host.resolve("dev-secrets.properties"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = MainAccess.run(out, "admin", "restore", "--into", "--data-dir", host.toString(),
                "--key-file", KEYS.resolve("private.json").toString(), "--audit-certificate", certificate.toString(),
                backup.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("configuration: dev installation " + host.toAbsolutePath().normalize()
                        + " (stopped dev server: its PostgreSQL and S3 started for this command)",
                "PASS key: opened with the private key of recipient key " + PAIR.keyId(),
                "restored into the configured database and buckets: every check passed")
                .doesNotContain(PAIR.privateKeyset().reveal());

        // The old host is gone; the new one answers at the same address (the same publicUrl, so tokens stay valid).
        int publicPort = source.publicPort();
        int devicePort = source.devicePort();
        long users = count(installation, "users");
        WARDLINE.stop();
        DevEnvironment dev = DevEnvironment.start(host, new DevEnvironment.Ports(publicPort, devicePort, 0), Map.of());
        try (WardlineServer restored = WardlineServer.start(dev.config())) {
            HttpResponse<byte[]> read = client(alice).send(alice.authorize(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + restored.devicePort() + "/v1/files/" + fileId))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(sha256(read.body())).isEqualTo(sha256(content));

            Installation restoredInstallation = new Installation(restored.config());
            VerificationReport audit = AuditVerifier.verify(restoredInstallation.dataSource(),
                    AuditSigner.readPublicKey(restoredInstallation.auditCertificate()));
            assertThat(audit.valid()).as(audit.summary()).isTrue();
            assertThat(count(restoredInstallation, "conversation_messages")).isEqualTo(messages);
            assertThat(count(restoredInstallation, "users")).isEqualTo(users);
        } finally {
            dev.close();
        }
    }

    private static String run(ScheduledBackups backups) throws Exception {
        return backups.run().toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    private static long sendAMessage(WardlineServer server) throws Exception {
        Path state = Files.createTempDirectory("wardline-chat-");
        BlockingQueue<String> aliceScreen = new LinkedBlockingQueue<>();
        BlockingQueue<String> bobScreen = new LinkedBlockingQueue<>();
        ChatSession aliceSession = new ChatSession(aliceScreen::add, state.resolve("a"));
        ChatSession bobSession = new ChatSession(bobScreen::add, state.resolve("b"));
        try (MessagingClient alice = MessagingClient.start(device(server, CareTeams.teamMate(server)),
                LocalVault.open(state.resolve("va"), "p".toCharArray()), aliceSession);
             MessagingClient bob = MessagingClient.start(device(server, CareTeams.teamMate(server)),
                     LocalVault.open(state.resolve("vb"), "p".toCharArray()), bobSession)) {
            aliceSession.attach(alice);
            bobSession.attach(bob);
            alice.connected().get(60, TimeUnit.SECONDS);
            bob.connected().get(60, TimeUnit.SECONDS);
            aliceSession.handle("/new");
            waitFor(aliceScreen, "opened new conversation");
            aliceSession.handle("/invite " + bob.device().userUri());
            waitFor(bobScreen, "you were added to conversation");
            aliceSession.handle("ward round at nine");
            waitFor(bobScreen, "ward round at nine");
            // Bob's delivery receipt is a stored message too: counted before it lands, the count races the restore.
            waitFor(aliceScreen, " delivered by ");
        }
        return count(new Installation(server.config()), "conversation_messages");
    }

    private static void waitFor(BlockingQueue<String> screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = screen.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("the screen never showed " + text);
    }

    private static DeviceCredentials device(WardlineServer server, UUID user) throws Exception {
        DeviceIdentity identity = EnrolledDevices.enroll(server, user).identity();
        Path file = Files.createTempDirectory("wardline-device-").resolve("device.p12");
        char[] pass = "device-pass".toCharArray();
        identity.save(file, Secret.of(new String(pass)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, pass);
        }
        return DeviceCredentials.fromKeyStore(ks, pass, server.certificateAuthority().rootCertificate(),
                URI.create("https://127.0.0.1:" + server.devicePort())).withBearer(identity::accessToken);
    }

    private static HttpClient client(SignedInDevice device) {
        return HttpClient.newBuilder().sslContext(device.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static long count(Installation installation, String table) throws Exception {
        try (Connection c = installation.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> auditDetails(Installation installation, String action) throws Exception {
        try (Connection c = installation.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT details::text FROM audit_entries WHERE action = ? ORDER BY seq")) {
            s.setString(1, action);
            try (ResultSet rs = s.executeQuery()) {
                java.util.ArrayList<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }
}
