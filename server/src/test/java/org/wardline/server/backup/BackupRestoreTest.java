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
                "PASS key file keys/mls-external-sender.p12");
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
        assertThat(report.summary()).contains("FAIL part database.wlenc: does not decrypt: the passphrase is wrong");
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
