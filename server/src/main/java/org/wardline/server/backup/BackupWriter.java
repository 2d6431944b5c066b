package org.wardline.server.backup;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.wardline.protocol.Secret;
import org.wardline.storage.audit.AuditSigner;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a backup: one encrypted part with a logical dump of every table (PostgreSQL {@code COPY … TO STDOUT} in
 * binary format over JDBC, all tables in one repeatable-read snapshot; zonky's embedded binaries ship no
 * {@code pg_dump}) and the wrapped key files, one encrypted part per S3 object (its stored ciphertext as is), and
 * the signed header listing them all with their SHA-256.
 */
final class BackupWriter {
    static final String KEY_PREFIX = "keys/";
    static final String TABLE_PREFIX = "tables/";

    private final Installation installation;

    BackupWriter(Installation installation) {
        this.installation = installation;
    }

    /** What a backup wrote. */
    record Written(BackupHeader header, String location) {
        String summary() {
            long rows = header.tables().stream().mapToLong(BackupHeader.Table::rows).sum();
            long bytes = header.parts().stream().mapToLong(BackupHeader.Part::size).sum();
            return "backup written to " + location + ": " + header.tables().size() + " tables (" + rows + " rows), "
                    + header.objects().size() + " objects, " + bytes + " bytes encrypted, signed";
        }
    }

    Written write(BackupStore store, Secret<String> passphrase) throws Exception {
        return write(store, new BackupCredentials.Passphrase(passphrase));
    }

    Written write(BackupStore store, BackupCredentials.Seal credentials) throws Exception {
        AuditSigner signer = AuditSigner.loadPkcs12(installation.auditKeystore(), installation.pkiPassphrase().reveal().toCharArray());
        BackupKey.Sealed sealed = BackupKey.seal(credentials);
        BackupKey key = sealed.key();
        List<BackupHeader.Part> parts = new ArrayList<>();
        List<BackupHeader.Table> tables = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        parts.add(writeDatabase(store, key, tables, versions));
        List<BackupHeader.StoredObject> objects = writeObjects(store, key, parts);
        BackupHeader header = new BackupHeader(Instant.now().toString(), sealed.sealing(), sealed.keyCheck(),
                versions, tables, parts, objects);
        byte[] encoded = header.encode();
        try (OutputStream out = store.create(BackupHeader.NAME)) {
            out.write(encoded);
        }
        try (OutputStream out = store.create(BackupHeader.SIGNATURE)) {
            out.write(signer.sign(encoded));
        }
        return new Written(header, store.describe());
    }

    private BackupHeader.Part writeDatabase(BackupStore store, BackupKey key, List<BackupHeader.Table> tables,
                                            List<String> versions) throws Exception {
        MessageDigest cipherDigest = Digests.sha256();
        Counting counted;
        try (Connection db = installation.dataSource().getConnection()) {
            db.setAutoCommit(false);
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            db.setReadOnly(true);
            versions.addAll(schemaVersions(db));
            CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
            counted = new Counting(new DigestOutputStream(store.create(BackupHeader.DATABASE_PART), cipherDigest));
            try (ZipOutputStream zip = new ZipOutputStream(encrypting(key, counted, BackupHeader.DATABASE_PART))) {
                JsonArray manifest = new JsonArray();
                for (String table : tableNames(db)) {
                    zip.putNextEntry(new ZipEntry(TABLE_PREFIX + table + ".copy"));
                    MessageDigest plain = Digests.sha256();
                    long rows = copy.copyOut("COPY " + quote(table) + " TO STDOUT (FORMAT binary)",
                            new DigestOutputStream(new Unclosable(zip), plain));
                    zip.closeEntry();
                    tables.add(new BackupHeader.Table(table, rows));
                    manifest.add(new JsonObject().put("table", table).put("rows", rows).put("sha256", Digests.hex(plain)));
                }
                for (Installation.KeyFile f : installation.keyFiles()) {
                    if (Files.isRegularFile(f.path())) {
                        zip.putNextEntry(new ZipEntry(f.name()));
                        Files.copy(f.path(), zip);
                        zip.closeEntry();
                    }
                }
                zip.putNextEntry(new ZipEntry("manifest.json"));
                zip.write(new JsonObject().put("tables", manifest).encodePrettily().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            db.rollback();
        }
        return new BackupHeader.Part(BackupHeader.DATABASE_PART, Digests.hex(cipherDigest), counted.count);
    }

    private List<BackupHeader.StoredObject> writeObjects(BackupStore store, BackupKey key, List<BackupHeader.Part> parts)
            throws Exception {
        MinioClient s3 = installation.s3();
        List<BackupHeader.StoredObject> objects = new ArrayList<>();
        for (String bucket : installation.buckets()) {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
                Item item = r.get();
                if (item.isDir()) {
                    continue;
                }
                String part = String.format("objects/%06d.wlenc", objects.size() + 1);
                MessageDigest stored = Digests.sha256();
                MessageDigest cipher = Digests.sha256();
                Counting counted = new Counting(new DigestOutputStream(store.create(part), cipher));
                long size;
                try (InputStream in = new DigestInputStream(s3.getObject(GetObjectArgs.builder().bucket(bucket)
                        .object(item.objectName()).build()), stored);
                     OutputStream out = encrypting(key, counted, objectAad(bucket, item.objectName()))) {
                    size = in.transferTo(out);
                }
                objects.add(new BackupHeader.StoredObject(bucket, item.objectName(), size, Digests.hex(stored), part));
                parts.add(new BackupHeader.Part(part, Digests.hex(cipher), counted.count));
            }
        }
        return objects;
    }

    static String objectAad(String bucket, String key) {
        return "object:" + bucket + "/" + key;
    }

    private static OutputStream encrypting(BackupKey key, OutputStream out, String aadName) throws IOException {
        try {
            return key.aead().newEncryptingStream(out, BackupKey.associatedData(aadName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not start an encrypting stream", e);
        }
    }

    static List<String> tableNames(Connection db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                     + "AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history' ORDER BY table_name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<String> schemaVersions(Connection db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                     + "ORDER BY version::numeric")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Counts the bytes written through it. */
    static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Lets a nested writer close its stream without closing the ZIP entry underneath. */
    static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
