package org.wardline.server.backup;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.wardline.storage.audit.AuditSigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code wardline admin restore --into}: a disaster-recovery restore into the configured, empty database, buckets
 * and key-file places. It refuses a target that is not empty, then runs the whole verification into scratch
 * storage, and only when every check passed loads the backup into the target and checks it again there (row
 * counts, audit chain, every object's SHA-256 read back). Key files are written owner-only.
 */
final class DisasterRestore {
    private final Installation target;

    DisasterRestore(Installation target) {
        this.target = target;
    }

    /** The scratch verification and, when it passed, the checks made on the restored target. */
    record Result(RestoreVerifier.Report verification, List<RestoreVerifier.Check> restore) {
        boolean restored() {
            return verification.passed() && !restore.isEmpty()
                    && restore.stream().allMatch(RestoreVerifier.Check::passed);
        }

        String summary() {
            StringBuilder b = new StringBuilder(verification.summary()).append('\n');
            if (!verification.passed()) {
                return b.append("nothing was restored: the backup failed verification").toString();
            }
            restore.forEach(c -> b.append(c.line()).append('\n'));
            return b.append(restored() ? "restored into the configured database and buckets: every check passed"
                    : "restore FAILED: see the checks above").toString();
        }
    }

    Result restore(BackupStore store, BackupCredentials.Open credentials, Path auditCertificate) throws Exception {
        refuseUnlessEmpty(store, auditCertificate);
        RestoreVerifier verifier = new RestoreVerifier(target);
        RestoreVerifier.Report verified = verifier.verify(store, credentials, false, auditCertificate);
        if (!verified.passed()) {
            return new Result(verified, List.of());
        }
        refuseUnlessEmpty(store, auditCertificate);
        List<RestoreVerifier.Check> checks = new ArrayList<>();
        RestoreVerifier.Opened opened = verifier.open(store, credentials, auditCertificate, checks);
        if (opened == null) {
            return new Result(verified, checks);
        }
        Map<String, byte[]> keyFiles = verifier.loadDatabase(store, opened, target.config().database().name(),
                auditCertificate, checks);
        MinioClient s3 = target.s3();
        for (String bucket : backupBuckets(opened.header())) {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        }
        verifier.loadObjects(store, opened, s3, o -> new String[] {o.bucket(), o.key()}, checks);
        writeKeyFiles(keyFiles, auditCertificate, checks);
        return new Result(verified, checks);
    }

    private void refuseUnlessEmpty(BackupStore store, Path auditCertificate) throws Exception {
        List<RestoreVerifier.Check> checks = new ArrayList<>();
        BackupHeader header = peekHeader(store);
        List<String> buckets = header == null ? target.buckets() : backupBuckets(header);
        List<String> problems = RestoreTarget.problems(target, buckets);
        if (!problems.isEmpty()) {
            throw new BackupException("the restore target is not empty, nothing was changed: " + String.join("; ", problems));
        }
        if (header != null && !target.buckets().containsAll(buckets)) {
            throw new BackupException("the backup's objects are in bucket(s) " + buckets + " but the configuration names "
                    + target.buckets() + ": configure the same bucket names; nothing was changed");
        }
    }

    /** The header as written, unverified: only to learn bucket names for the emptiness check. */
    private static BackupHeader peekHeader(BackupStore store) {
        try (var in = store.open(BackupHeader.NAME)) {
            return BackupHeader.decode(in.readAllBytes());
        } catch (IOException | BackupException e) {
            return null;
        }
    }

    private static List<String> backupBuckets(BackupHeader header) {
        return header.objects().stream().map(BackupHeader.StoredObject::bucket).distinct().toList();
    }

    private void writeKeyFiles(Map<String, byte[]> keyFiles, Path auditCertificate, List<RestoreVerifier.Check> checks)
            throws Exception {
        int written = 0;
        for (Map.Entry<String, byte[]> f : keyFiles.entrySet()) {
            Path path = target.keyFilePath(f.getKey());
            if (path == null) {
                checks.add(new RestoreVerifier.Check("key file " + f.getKey(), false, "this release has no place for it"));
                continue;
            }
            Files.createDirectories(path.getParent());
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(path, f.getValue());
            written++;
        }
        checks.add(new RestoreVerifier.Check("key files", written == keyFiles.size(), written + " of " + keyFiles.size()
                + " written owner-only"));
        byte[] restoredCert = keyFiles.get(Installation.PKI_PREFIX + Installation.AUDIT_CERTIFICATE);
        PublicKey expected = AuditSigner.readPublicKey(auditCertificate);
        boolean same = restoredCert != null && CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(restoredCert)).getPublicKey().equals(expected);
        checks.add(new RestoreVerifier.Check("audit certificate", same, same
                ? "the restored audit key is the one the backup was verified with"
                : "the restored audit certificate is not the one the backup was verified with"));
    }
}
