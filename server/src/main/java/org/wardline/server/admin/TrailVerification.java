package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.server.audit.AuditKeys;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * {@code wardline audit verify} over the admin API: the same {@link AuditVerifier} (JDBC, on a worker thread) against
 * the audit signing certificate beside the PKI.
 */
public final class TrailVerification {
    private final Vertx vertx;
    private final DataSource dataSource;
    private final Path certificate;

    public TrailVerification(Vertx vertx, DataSource dataSource, Path certificate) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.certificate = certificate;
    }

    public Future<VerificationReport> verify() {
        return vertx.executeBlocking(() -> AuditVerifier.verify(dataSource, AuditKeys.publicKey(certificate)), false);
    }
}
