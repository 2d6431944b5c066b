package org.wardline.server.audit;

import io.vertx.core.Vertx;
import org.wardline.server.cli.Target;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditLogConfig;
import org.wardline.storage.audit.AuditSigner;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Writes the entry of an operator command ({@code wardline audit verify|export}) into the installation's trail: the
 * same hash chain and checkpoint key as the server's, over a connection of its own, appended under the chain head's
 * lock so it interleaves safely with a running server. The operator is named by their operating-system account.
 */
final class OperatorAudit {
    private final Target target;

    OperatorAudit(Target target) {
        this.target = target;
    }

    /** Writes {@code event}; throws {@link NotWritten} when it is not in the trail within 10 seconds. */
    void record(AuditEvent.Builder event) {
        Vertx vertx = Vertx.vertx();
        try {
            Target.Db d = target.database();
            DatabaseSettings settings = DatabaseSettings.of(d.host(), d.port(), d.name(), d.user(), d.password())
                    .withSsl(ssl(d.sslMode()), Optional.empty()).withPoolSize(1);
            Database db = Database.openWithoutMigrating(vertx, settings);
            try {
                AuditSigner signer = AuditSigner.loadPkcs12(target.pkiDir().resolve(AuditKeys.KEYSTORE),
                        target.pkiPassphrase().reveal().toCharArray());
                new AuditLog(db.pool(), signer, AuditLogConfig.DEFAULT).record(event.build())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } finally {
                db.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotWritten(e);
        } catch (Exception e) {
            throw new NotWritten(e);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    private static DatabaseSettings.SslMode ssl(String mode) {
        return switch (mode) {
            case "verify-ca" -> DatabaseSettings.SslMode.VERIFY_CA;
            case "verify-full" -> DatabaseSettings.SslMode.VERIFY_FULL;
            default -> DatabaseSettings.SslMode.DISABLE;
        };
    }

    /** The entry could not be written; the message names the kind of failure only. */
    static final class NotWritten extends RuntimeException {
        NotWritten(Throwable cause) {
            super("the audit entry of this command could not be written (" + cause.getClass().getSimpleName() + ")", cause);
        }
    }
}
