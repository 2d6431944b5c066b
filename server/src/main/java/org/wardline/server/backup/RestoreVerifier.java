package org.wardline.server.backup;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.wardline.protocol.Secret;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;
import org.wardline.storage.db.Database;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.sql.DataSource;

/**
 * {@code wardline admin restore --verify}: restores a backup into a scratch database and a scratch bucket on the
 * configured PostgreSQL and S3, and checks it: the header's signature (the audit signing key), every part's
 * SHA-256 and authentication, the schema version, every table's row count, the restored audit chain (the same
 * verification as {@code wardline audit verify}), every key file, and every object's SHA-256 as read back from the
 * scratch bucket. The scratch database and bucket are dropped afterwards unless asked to keep them.
 * {@link DisasterRestore} loads the same way into the configured database and buckets.
 */
final class RestoreVerifier {
    private final Installation installation;

    RestoreVerifier(Installation installation) {
        this.installation = installation;
    }

    /** One check and its outcome; {@code detail} names what failed, never content. */
    record Check(String name, boolean passed, String detail) {
        String line() {
            return (passed ? "PASS " : "FAIL ") + name + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** Every check made, in order; the backup passes when all did. */
    record Report(List<Check> checks, String scratchDatabase, String scratchBucket) {
        boolean passed() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
        }

        List<Check> failures() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }

        String summary() {
            StringBuilder b = new StringBuilder();
            checks.forEach(c -> b.append(c.line()).append('\n'));
            b.append(passed() ? "backup verified: every check passed" : "backup FAILED verification: " + failures().size()
                    + " check(s) failed");
            return b.toString();
        }
    }

    Report verify(BackupStore store, Secret<String> passphrase, boolean keepScratch) throws Exception {
        return verify(store, new BackupCredentials.Passphrase(passphrase), keepScratch, installation.auditCertificate());
    }

    /**
     * Verifies into scratch storage. The header's signature is checked against {@code auditCertificate} (this
     * server's, or the one an operator keeps for a restore onto a new host) before anything is decrypted; a wrong
     * passphrase or key file fails the key check before anything is restored.
     */
    Report verify(BackupStore store, BackupCredentials.Open credentials, boolean keepScratch, Path auditCertificate)
            throws Exception {
        List<Check> checks = new ArrayList<>();
        String suffix = HexFormat.of().formatHex(BackupKey.newSalt(), 0, 6);
        String scratchDb = "wardline_restore_" + suffix;
        String scratchBucket = "wardline-restore-" + suffix;
        Opened opened = open(store, credentials, auditCertificate, checks);
        if (opened == null) {
            return new Report(checks, null, null);
        }
        MinioClient s3 = installation.s3();
        createDatabase(scratchDb);
        try {
            loadDatabase(store, opened, scratchDb, auditCertificate, checks);
            s3.makeBucket(MakeBucketArgs.builder().bucket(scratchBucket).build());
            try {
                loadObjects(store, opened, s3, o -> new String[] {scratchBucket, o.bucket() + "/" + o.key()}, checks);
            } finally {
                if (!keepScratch) {
                    dropBucket(s3, scratchBucket);
                }
            }
        } finally {
            if (!keepScratch) {
                dropDatabase(scratchDb);
            }
        }
        return new Report(checks, keepScratch ? scratchDb : null, keepScratch ? scratchBucket : null);
    }

    /** A backup whose header's signature and key check passed, with its key. */
    record Opened(BackupHeader header, BackupKey key) {
    }

    /** Checks the signature, the key and that every part is present; null (with the failure in checks) if not. */
    Opened open(BackupStore store, BackupCredentials.Open credentials, Path auditCertificate, List<Check> checks)
            throws Exception {
        BackupHeader header = signedHeader(store, checks, auditCertificate);
        if (header == null) {
            return null;
        }
        BackupKey key;
        try {
            key = BackupKey.open(credentials, header);
        } catch (BackupException e) {
            checks.add(new Check("key", false, e.getMessage()));
            return null;
        }
        checks.add(new Check("key", true, header.sealing() instanceof BackupHeader.RecipientSealing r
                ? "opened with the private key of recipient key " + r.keyId() : "opened with the passphrase"));
        for (BackupHeader.Part p : header.parts()) {
            if (!store.exists(p.name())) {
                checks.add(new Check("part " + p.name(), false, "missing from the backup"));
            }
        }
        return new Opened(header, key);
    }

    private BackupHeader signedHeader(BackupStore store, List<Check> checks, Path auditCertificate) throws Exception {
        byte[] header;
        byte[] signature;
        try {
            header = readAll(store.open(BackupHeader.NAME));
            signature = readAll(store.open(BackupHeader.SIGNATURE));
        } catch (BackupException e) {
            checks.add(new Check("signature", false, e.getMessage()));
            return null;
        }
        PublicKey key = AuditSigner.readPublicKey(auditCertificate);
        if (!AuditSigner.verify(key, AuditSigner.signatureAlgorithm(key), header, signature)) {
            checks.add(new Check("signature", false, BackupHeader.NAME + " does not match its signature by the audit key "
                    + AuditSigner.keyId(key) + ": it was altered, or made by another installation"));
            return null;
        }
        checks.add(new Check("signature", true, "header signed by audit key " + AuditSigner.keyId(key)));
        try {
            return BackupHeader.decode(header);
        } catch (BackupException e) {
            checks.add(new Check("header", false, e.getMessage()));
            return null;
        }
    }

    /**
     * Migrates {@code database} (which must hold no Wardline data), loads the dump into it in one transaction and
     * checks the row counts and the restored audit chain. Returns the key files found in the dump.
     */
    Map<String, byte[]> loadDatabase(BackupStore store, Opened opened, String database, Path auditCertificate,
                                     List<Check> checks) throws Exception {
        BackupHeader header = opened.header();
        Database.migrate(installation.databaseSettings(database));
        DataSource target = installation.dataSource(database);
        Map<String, Long> restoredRows = new TreeMap<>();
        Map<String, byte[]> keyFiles = new TreeMap<>();
        BackupHeader.Part part = header.part(BackupHeader.DATABASE_PART);
        MessageDigest cipher = Digests.sha256();
        try (Connection db = target.getConnection()) {
            List<String> versions = BackupWriter.schemaVersions(db);
            if (!versions.equals(header.schemaVersions())) {
                checks.add(new Check("schema", false, "the backup was taken at schema versions " + last(header.schemaVersions())
                        + ", this release migrates to " + last(versions) + ": restore with the matching release"));
                return keyFiles;
            }
            checks.add(new Check("schema", true, "version " + last(versions)));
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                // Rows arrive table by table, not in foreign-key order (the dump is one consistent snapshot), and the
                // audit tables' append-only triggers must let the restore write them; migrations' seed rows go.
                s.execute("SET LOCAL session_replication_role = replica");
                s.execute("TRUNCATE " + String.join(", ", BackupWriter.tableNames(db).stream().map(BackupWriter::quote).toList())
                        + " CASCADE");
            }
            CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
            try (InputStream in = decrypting(opened.key(), new DigestInputStream(store.open(part.name()), cipher), part.name());
                 ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    String name = e.getName();
                    if (name.startsWith(BackupWriter.TABLE_PREFIX) && name.endsWith(".copy")) {
                        String table = name.substring(BackupWriter.TABLE_PREFIX.length(), name.length() - 5);
                        restoredRows.put(table, copy.copyIn("COPY " + BackupWriter.quote(table) + " FROM STDIN (FORMAT binary)",
                                new NoClose(zip)));
                    } else if (name.startsWith(BackupWriter.KEY_PREFIX)) {
                        keyFiles.put(name, zip.readAllBytes());
                    }
                }
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | SQLException | BackupException e) {
                checks.add(new Check("part " + part.name(), false, "does not decrypt or load: the part was altered, "
                        + "truncated or swapped (" + e.getClass().getSimpleName() + ")"));
                db.rollback();
                return Map.of();
            }
            String sha = Digests.hex(cipher);
            if (!sha.equals(part.sha256())) {
                checks.add(new Check("part " + part.name(), false, "SHA-256 does not match the signed header"));
                db.rollback();
                return Map.of();
            }
            resetSequences(db);
            db.commit();
            checks.add(new Check("part " + part.name(), true, "SHA-256 matches"));
            for (BackupHeader.Table t : header.tables()) {
                Long restored = restoredRows.get(t.name());
                long counted = restored == null ? -1 : count(db, t.name());
                boolean ok = restored != null && restored == t.rows() && counted == t.rows();
                checks.add(new Check("table " + t.name(), ok, ok ? t.rows() + " rows"
                        : "expected " + t.rows() + " rows, restored " + (restored == null ? "none" : counted)));
            }
        }
        for (Installation.KeyFile f : installation.keyFiles()) {
            if (java.nio.file.Files.isRegularFile(f.path()) && (!f.name().startsWith(Installation.PKI_PREFIX)
                    || f.name().equals(Installation.PKI_PREFIX + org.wardline.server.mls.ExternalSenderKeystore.KEYSTORE))) {
                checks.add(new Check("key file " + f.name(), keyFiles.containsKey(f.name()),
                        keyFiles.containsKey(f.name()) ? "present" : "missing from the backup"));
            }
        }
        VerificationReport audit = AuditVerifier.verify(target, AuditSigner.readPublicKey(auditCertificate));
        checks.add(new Check("audit chain", audit.valid(), audit.summary()));
        return keyFiles;
    }

    /** Puts every object where {@code placement} says (bucket, key), checking each SHA-256 as read back. */
    void loadObjects(BackupStore store, Opened opened, MinioClient s3,
                     java.util.function.Function<BackupHeader.StoredObject, String[]> placement, List<Check> checks)
            throws Exception {
        BackupHeader header = opened.header();
        int ok = 0;
        for (BackupHeader.StoredObject o : header.objects()) {
            String name = "object " + o.bucket() + "/" + o.key();
            if (!store.exists(o.part())) {
                checks.add(new Check(name, false, "part " + o.part() + " missing from the backup"));
                continue;
            }
            BackupHeader.Part part = header.part(o.part());
            MessageDigest cipher = Digests.sha256();
            MessageDigest plain = Digests.sha256();
            String[] target = placement.apply(o);
            try (InputStream in = new DigestInputStream(decrypting(opened.key(), new DigestInputStream(store.open(o.part()), cipher),
                    BackupWriter.objectAad(o.bucket(), o.key())), plain)) {
                s3.putObject(PutObjectArgs.builder().bucket(target[0]).object(target[1]).stream(in, o.size(), -1).build());
            } catch (Exception e) {
                // Tink fails the stream when a segment does not authenticate; minio passes that on, wrapped or not.
                checks.add(new Check(name, false, "does not decrypt or restore: the part was altered ("
                        + e.getClass().getSimpleName() + ")"));
                removeQuietly(s3, target);
                continue;
            }
            if (!Digests.hex(cipher).equals(part.sha256()) || !Digests.hex(plain).equals(o.sha256())) {
                checks.add(new Check(name, false, "SHA-256 does not match the signed header"));
                removeQuietly(s3, target);
                continue;
            }
            MessageDigest readBack = Digests.sha256();
            try (InputStream in = new DigestInputStream(s3.getObject(GetObjectArgs.builder().bucket(target[0])
                    .object(target[1]).build()), readBack)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!Digests.hex(readBack).equals(o.sha256())) {
                checks.add(new Check(name, false, "restored object's SHA-256 does not match"));
                continue;
            }
            ok++;
        }
        checks.add(new Check("objects", ok == header.objects().size(),
                ok + " of " + header.objects().size() + " restored with matching SHA-256"));
    }

    private static void removeQuietly(MinioClient s3, String[] target) {
        try {
            s3.removeObject(RemoveObjectArgs.builder().bucket(target[0]).object(target[1]).build());
        } catch (Exception ignored) {
            // Best effort: a failed put usually stored nothing.
        }
    }

    private static void resetSequences(Connection db) throws SQLException {
        List<String[]> serials = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), "
                     + "column_name) FROM information_schema.columns WHERE table_schema = current_schema() "
                     + "AND column_default LIKE 'nextval(%'")) {
            while (rs.next()) {
                serials.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        try (Statement s = db.createStatement()) {
            for (String[] c : serials) {
                if (c[2] != null) {
                    s.execute("SELECT setval('" + c[2].replace("'", "''") + "', GREATEST(coalesce((SELECT max("
                            + BackupWriter.quote(c[1]) + ") FROM " + BackupWriter.quote(c[0]) + "), 0), 1))");
                }
            }
        }
    }

    private static long count(Connection db, String table) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + BackupWriter.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void createDatabase(String name) throws SQLException {
        try (Connection db = installation.dataSource().getConnection(); Statement s = db.createStatement()) {
            s.execute("CREATE DATABASE " + BackupWriter.quote(name));
        }
    }

    void dropDatabase(String name) throws SQLException {
        try (Connection db = installation.dataSource().getConnection(); Statement s = db.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + BackupWriter.quote(name) + " WITH (FORCE)");
        }
    }

    static void dropBucket(MinioClient s3, String bucket) throws Exception {
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return;
        }
        for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            s3.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(r.get().objectName()).build());
        }
        s3.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
    }

    private static InputStream decrypting(BackupKey key, InputStream in, String aadName) throws IOException {
        try {
            return key.aead().newDecryptingStream(in, BackupKey.associatedData(aadName));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decrypting " + aadName, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static String last(List<String> versions) {
        return versions.isEmpty() ? "(none)" : "V" + versions.get(versions.size() - 1);
    }

    /** Keeps the ZIP stream open when the COPY reader closes its input. */
    private static final class NoClose extends FilterInputStream {
        NoClose(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // The ZIP stream stays open for the next entry.
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
