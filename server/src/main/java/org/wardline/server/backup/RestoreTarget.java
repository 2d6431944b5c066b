package org.wardline.server.backup;

import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the configured installation may receive a disaster-recovery restore: a database with no tables, or
 * Wardline's tables with no audit entry (nothing ever happened there: every action is audited); buckets absent or
 * without objects; no key material at the key files' places. Anything else is refused before a byte is written.
 */
final class RestoreTarget {
    private RestoreTarget() {
    }

    /** What makes the target not empty, one line each; empty when it may be restored into. */
    static List<String> problems(Installation target, List<String> buckets) throws Exception {
        List<String> out = new ArrayList<>();
        String database = target.config().database().name();
        try (Connection db = target.dataSource().getConnection(); Statement s = db.createStatement()) {
            List<String> tables = BackupWriter.tableNames(db);
            if (tables.contains("audit_entries")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_entries")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        out.add("database " + database + " holds Wardline data (" + rs.getLong(1) + " audit entries)");
                    }
                }
            } else if (!tables.isEmpty()) {
                out.add("database " + database + " holds " + tables.size() + " tables that are not Wardline's");
            }
        }
        MinioClient s3 = target.s3();
        for (String bucket : buckets) {
            if (s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())
                    && s3.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).maxKeys(1).build())
                    .iterator().hasNext()) {
                out.add("bucket " + bucket + " holds objects");
            }
        }
        for (Path p : List.of(target.config().keys().keystore(), target.config().dataDir().resolve("auth/keys.jwe"))) {
            if (Files.exists(p)) {
                out.add("key file " + p + " exists");
            }
        }
        Path pki = target.config().pki().directory();
        if (Files.isDirectory(pki)) {
            try (var files = Files.list(pki)) {
                if (files.anyMatch(Files::isRegularFile)) {
                    out.add("PKI directory " + pki + " holds files");
                }
            }
        }
        return out;
    }
}
