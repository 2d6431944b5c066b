package org.wardline.server.backup;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;
import org.wardline.server.MainAccess;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups of a whole dev server (embedded PostgreSQL, s3proxy) to a directory and to S3, verified by a restore
 * into a scratch database and bucket; tampered backups fail with the failing part named.
 */
class BackupRestoreTest {
    private static final Secret<String> PASSPHRASE = Secret.of("a long backup passphrase for tests");

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static Installation installation;

    @TempDir
    Path scratch;

    @BeforeAll
    static void storeSomeObjects() throws Exception {
        installation = new Installation(WARDLINE.server().config());
        MinioClient s3 = installation.s3();
        SecureRandom random = new SecureRandom();
        for (String key : List.of("files/0001", "files/0002", "files/0003")) {
            byte[] ciphertext = new byte[3000 + random.nextInt(5000)];
            random.nextBytes(ciphertext);
            s3.putObject(PutObjectArgs.builder().bucket(installation.buckets().get(0)).object(key)
                    .stream(new ByteArrayInputStream(ciphertext), ciphertext.length, -1).build());
        }
    }

    private Path backupTo(String name) throws Exception {
        Path dir = scratch.resolve(name);
        Files.createDirectories(dir);
        new BackupWriter(installation).write(new DirectoryBackupStore(dir), PASSPHRASE);
        return dir;
    }

    private RestoreVerifier.Report verify(Path dir, Secret<String> passphrase) throws Exception {
        return new RestoreVerifier(installation).verify(new DirectoryBackupStore(dir), passphrase, false);
    }

    @Test
    void aBackupRestoresIntoScratchStorageAndEveryCheckPasses() throws Exception {
        Path dir = backupTo("good");
        BackupHeader header = BackupHeader.decode(Files.readAllBytes(dir.resolve(BackupHeader.NAME)));
        assertThat(header.objects()).extracting(BackupHeader.StoredObject::key)
                .contains("files/0001", "files/0002", "files/0003");
        assertThat(header.tables()).extracting(BackupHeader.Table::name).contains("audit_entries", "devices", "device_wipes");
        assertThat(header.tables().stream().filter(t -> t.name().equals("audit_entries")).findFirst().orElseThrow().rows())
                .isPositive();
        byte[] database = Files.readAllBytes(dir.resolve(BackupHeader.DATABASE_PART));
        assertThat(new String(database, StandardCharsets.ISO_8859_1)).as("the dump is encrypted")
                .doesNotContain("system.started").doesNotContain("audit_entries");

        RestoreVerifier.Report report = verify(dir, PASSPHRASE);
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.summary()).contains("PASS signature", "PASS audit chain", "PASS table audit_entries",
                "PASS key file keys/keystore.json", "PASS key file keys/auth-keys.jwe", "PASS objects",
                "PASS key file keys/pki/mls-external-sender.p12");
        assertThat(databaseNames()).as("the scratch database is dropped").noneMatch(n -> n.startsWith("wardline_restore_"));
    }

    @Test
    void aBackupToS3VerifiesFromS3() throws Exception {
        MinioClient s3 = installation.s3();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket("wardline-backups").build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket("wardline-backups").build());
        }
        BackupWriter.Written written = new BackupWriter(installation)
                .write(new S3BackupStore(s3, "wardline-backups", "nightly/one"), PASSPHRASE);
        assertThat(written.summary()).contains("s3://wardline-backups/nightly/one/", "objects");
        RestoreVerifier.Report report = new RestoreVerifier(installation)
                .verify(new S3BackupStore(s3, "wardline-backups", "nightly/one"), PASSPHRASE, false);
        assertThat(report.passed()).as(report.summary()).isTrue();
    }

    @Test
    void aFlippedByteFailsNamingThePart() throws Exception {
        Path dir = backupTo("flipped");
        flip(dir.resolve("objects/000002.wlenc"), 200);
        RestoreVerifier.Report report = verify(dir, PASSPHRASE);
        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).extracting(RestoreVerifier.Check::line).first().asString()
                .startsWith("FAIL object ").contains("does not decrypt or restore: the part was altered");
        int objects = BackupHeader.decode(Files.readAllBytes(dir.resolve(BackupHeader.NAME))).objects().size();
        assertThat(report.summary()).contains("FAIL objects: " + (objects - 1) + " of " + objects + " restored")
                .contains("PASS audit chain");

        Path db = backupTo("flipped-db");
        flip(db.resolve(BackupHeader.DATABASE_PART), 100);
        assertThat(verify(db, PASSPHRASE).summary()).contains("FAIL part database.wlenc: does not decrypt");

        Path header = backupTo("flipped-header");
        flip(header.resolve(BackupHeader.NAME), 40);
        RestoreVerifier.Report forged = verify(header, PASSPHRASE);
        assertThat(forged.failures()).extracting(RestoreVerifier.Check::line).singleElement().asString()
                .contains("FAIL signature", "does not match its signature");
    }

    @Test
    void aDroppedObjectFailsNamingIt() throws Exception {
        Path dir = backupTo("dropped");
        BackupHeader header = BackupHeader.decode(Files.readAllBytes(dir.resolve(BackupHeader.NAME)));
        BackupHeader.StoredObject dropped = header.objects().get(0);
        Files.delete(dir.resolve(dropped.part()));
        RestoreVerifier.Report report = verify(dir, PASSPHRASE);
        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).contains("FAIL part " + dropped.part() + ": missing from the backup")
                .contains("FAIL object " + dropped.bucket() + "/" + dropped.key() + ": part " + dropped.part()
                        + " missing from the backup");
    }

    @Test
    void theWrongPassphraseFailsWithoutRestoringAnything() throws Exception {
        Path dir = backupTo("passphrase");
        RestoreVerifier.Report report = verify(dir, Secret.of("not the passphrase at all"));
        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).extracting(RestoreVerifier.Check::line).singleElement().asString()
                .isEqualTo("FAIL key: the passphrase does not open this backup (wrong passphrase)");
        assertThat(report.checks()).as("nothing was restored").extracting(RestoreVerifier.Check::name)
                .containsExactly("signature", "key");
    }

    @Test
    void theCommandsRefuseMissingPassphrasesAndNonEmptyTargets() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = MainAccess.run(out, "admin", "backup", "--config", scratch.resolve("none.yaml").toString(),
                "--to", scratch.resolve("b").toString(), "--passphrase-file", Files.writeString(scratch.resolve("short"), "short").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("at least 12 characters");

        out.reset();
        exit = MainAccess.run(out, "admin", "restore", "--config", scratch.resolve("none.yaml").toString(), "somewhere");
        assertThat(exit).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--verify");
    }

    @Test
    void aBackupToTheRecipientKeyOpensWithItsPrivateKeyOnly() throws Exception {
        RecipientKey.Pair pair = RecipientKey.generate();
        Path dir = scratch.resolve("recipient");
        Files.createDirectories(dir);
        new BackupWriter(installation).write(new DirectoryBackupStore(dir), new BackupCredentials.Recipient(pair.publicKeyset()));
        BackupHeader header = BackupHeader.decode(Files.readAllBytes(dir.resolve(BackupHeader.NAME)));
        assertThat(header.sealing()).isInstanceOfSatisfying(BackupHeader.RecipientSealing.class,
                r -> assertThat(r.keyId()).isEqualTo(pair.keyId()));

        RestoreVerifier.Report good = new RestoreVerifier(installation).verify(new DirectoryBackupStore(dir),
                new BackupCredentials.KeyFile(pair.privateKeyset()), false, installation.auditCertificate());
        assertThat(good.passed()).as(good.summary()).isTrue();
        assertThat(good.summary()).contains("PASS key: opened with the private key of recipient key " + pair.keyId());

        RecipientKey.Pair other = RecipientKey.generate();
        RestoreVerifier.Report wrongKey = new RestoreVerifier(installation).verify(new DirectoryBackupStore(dir),
                new BackupCredentials.KeyFile(other.privateKeyset()), false, installation.auditCertificate());
        assertThat(wrongKey.failures()).extracting(RestoreVerifier.Check::line).singleElement().asString()
                .isEqualTo("FAIL key: the key file does not open this backup: it was encrypted to recipient key "
                        + pair.keyId() + ", the key file holds key " + other.keyId());
        assertThat(wrongKey.checks()).extracting(RestoreVerifier.Check::name).containsExactly("signature", "key");

        RestoreVerifier.Report passphrase = verify(dir, PASSPHRASE);
        assertThat(passphrase.summary()).contains("FAIL key: this backup is encrypted to recipient key " + pair.keyId()
                + ": give the offline private key with --key-file").doesNotContain(PASSPHRASE.reveal());

        RestoreVerifier.Report notAKey = new RestoreVerifier(installation).verify(new DirectoryBackupStore(dir),
                new BackupCredentials.KeyFile(Secret.of(pair.publicKeyset())), false, installation.auditCertificate());
        assertThat(notAKey.summary()).contains("FAIL key: the key file is not a Wardline backup private key");
    }

    @Test
    void theCommandsGenerateAKeyBackUpTheDevInstallationAndVerify() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path keys = scratch.resolve("keys");
        assertThat(MainAccess.run(out, "admin", "backup-key", "generate", "--out", keys.toString())).as(out.toString()).isZero();
        Path priv = keys.resolve("backup-recipient.private.json");
        Path pub = keys.resolve("backup-recipient.public.json");
        assertThat(Files.getPosixFilePermissions(priv)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(pub)).doesNotContain("\"keyMaterialType\": \"ASYMMETRIC_PRIVATE\"");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("keep OFFLINE").doesNotContain(Files.readString(priv));
        out.reset();
        assertThat(MainAccess.run(out, "admin", "backup-key", "generate", "--out", keys.toString())).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("a backup recipient key already exists");

        out.reset();
        Path backup = scratch.resolve("cli-backup");
        int exit = MainAccess.run(out, "admin", "backup", "--data-dir", WARDLINE.dataDir().toString(),
                "--recipient-key", pub.toString(), "--to", backup.toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration: dev installation "
                + WARDLINE.dataDir().toAbsolutePath().normalize() + " (running dev server, pid " + ProcessHandle.current().pid() + ")",
                "backup written to " + backup);

        out.reset();
        exit = MainAccess.run(out, "admin", "restore", "--verify", "--data-dir", WARDLINE.dataDir().toString(),
                "--key-file", priv.toString(), backup.toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("backup verified: every check passed");

        out.reset();
        exit = MainAccess.run(out, "admin", "restore", "--verify", "--data-dir", WARDLINE.dataDir().toString(),
                "--passphrase-file", Files.writeString(scratch.resolve("pass"), PASSPHRASE.reveal()).toString(), backup.toString());
        assertThat(exit).isEqualTo(BackupCommands.EXIT_FAILED_VERIFICATION);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL key: this backup is encrypted to recipient key")
                .doesNotContain(PASSPHRASE.reveal());

        out.reset();
        exit = MainAccess.run(out, "admin", "backup", "--data-dir", scratch.resolve("nowhere").toString(),
                "--recipient-key", pub.toString(), "--to", scratch.resolve("x").toString());
        assertThat(exit).isEqualTo(BackupCommands.EXIT_REFUSED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no --config given and no dev installation in");
    }

    @Test
    void aNonEmptyTargetIsRefusedAndNothingChanges() throws Exception {
        Path dir = backupTo("into-running");
        long before = auditEntries(installation);
        BackupException refused = org.junit.jupiter.api.Assertions.assertThrows(BackupException.class, () ->
                new DisasterRestore(installation).restore(new DirectoryBackupStore(dir),
                        new BackupCredentials.Passphrase(PASSPHRASE), installation.auditCertificate()));
        assertThat(refused.getMessage()).startsWith("the restore target is not empty, nothing was changed: database wardline "
                + "holds Wardline data").contains("bucket " + installation.buckets().get(0) + " holds objects",
                "key file " + installation.config().keys().keystore() + " exists");
        assertThat(auditEntries(installation)).as("nothing restored over it").isEqualTo(before);
    }

    @Test
    void aGoodBackupRestoresIntoAnEmptyTargetOnceAndHostileOnesRestoreNothing() throws Exception {
        Path good = backupTo("into-good");
        try (EmptyTarget target = new EmptyTarget(installation, WARDLINE.dataDir(), scratch.resolve("target-good"))) {
            DisasterRestore.Result result = restoreInto(target, good);
            assertThat(result.restored()).as(result.summary()).isTrue();
            assertThat(result.summary()).contains("PASS audit chain", "PASS objects", "PASS audit certificate",
                    "restored into the configured database and buckets");
            assertThat(auditEntries(target.installation())).isPositive();
            assertThat(Files.getPosixFilePermissions(target.installation().config().keys().keystore()))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(target.problems()).isNotEmpty();
            BackupException again = org.junit.jupiter.api.Assertions.assertThrows(BackupException.class,
                    () -> restoreInto(target, good));
            assertThat(again.getMessage()).startsWith("the restore target is not empty, nothing was changed");
        }

        Path truncated = backupTo("into-truncated");
        byte[] db = Files.readAllBytes(truncated.resolve(BackupHeader.DATABASE_PART));
        Files.write(truncated.resolve(BackupHeader.DATABASE_PART), java.util.Arrays.copyOf(db, db.length / 2));
        assertRefusedNothingRestored(truncated, "truncated", "FAIL part database.wlenc: does not decrypt or load");

        Path swapped = backupTo("into-swapped");
        Path a = swapped.resolve("objects/000001.wlenc");
        Path b = swapped.resolve("objects/000002.wlenc");
        Path t = swapped.resolve("objects/tmp");
        Files.move(a, t);
        Files.move(b, a);
        Files.move(t, b);
        assertRefusedNothingRestored(swapped, "swapped", "FAIL object ");

        Path foreign = backupTo("into-foreign");
        org.wardline.storage.audit.AuditSigner other = org.wardline.storage.audit.AuditSigner.generate("another installation");
        Files.write(foreign.resolve(BackupHeader.SIGNATURE), other.sign(Files.readAllBytes(foreign.resolve(BackupHeader.NAME))));
        assertRefusedNothingRestored(foreign, "foreign", "FAIL signature: backup.json does not match its signature by the audit key");

        Path schema = backupTo("into-schema");
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(Files.readString(schema.resolve(BackupHeader.NAME)));
        json.getJsonArray("schemaVersions").add("99999");
        byte[] altered = json.encodePrettily().getBytes(StandardCharsets.UTF_8);
        Files.write(schema.resolve(BackupHeader.NAME), altered);
        org.wardline.storage.audit.AuditSigner ours = org.wardline.storage.audit.AuditSigner.loadPkcs12(
                installation.auditKeystore(), installation.pkiPassphrase().reveal().toCharArray());
        Files.write(schema.resolve(BackupHeader.SIGNATURE), ours.sign(altered));
        assertRefusedNothingRestored(schema, "schema", "FAIL schema: the backup was taken at schema versions V99999, "
                + "this release migrates to V");
    }

    private DisasterRestore.Result restoreInto(EmptyTarget target, Path dir) throws Exception {
        return new DisasterRestore(target.installation()).restore(new DirectoryBackupStore(dir),
                new BackupCredentials.Passphrase(PASSPHRASE), installation.auditCertificate());
    }

    private void assertRefusedNothingRestored(Path dir, String name, String failure) throws Exception {
        try (EmptyTarget target = new EmptyTarget(installation, WARDLINE.dataDir(), scratch.resolve("target-" + name))) {
            DisasterRestore.Result result = restoreInto(target, dir);
            assertThat(result.restored()).isFalse();
            assertThat(result.summary()).contains(failure).endsWith("nothing was restored: the backup failed verification");
            assertThat(target.untouched()).as(name + ": nothing restored").isTrue();
        }
    }

    private static long auditEntries(Installation where) throws Exception {
        try (Connection c = where.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void flip(Path file, int offset) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.min(offset, bytes.length - 1)] ^= 0x01;
        Files.write(file, bytes);
    }

    private static List<String> databaseNames() throws Exception {
        try (Connection c = installation.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database")) {
            Stream.Builder<String> names = Stream.builder();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names.build().toList();
        }
    }
}
