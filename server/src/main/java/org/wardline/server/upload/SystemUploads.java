package org.wardline.server.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.StoredObject;

import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * A file the server stores for a user with no request behind it (an incident drill's set-up), through the same
 * pipeline as {@code POST /v1/files}: type detection, clamd, DLP, envelope encryption, commit only on a clean verdict.
 * Audited as {@code file.uploaded} for the owner with {@code via} in its details; a file whose entry cannot be written
 * is deleted, and anything but a committed file is a failure (nothing usable is left behind).
 */
public final class SystemUploads {
    private final Vertx vertx;
    private final Optional<UploadPipeline> pipeline;
    private final ObjectLifecycle lifecycle;
    private final RequestAudit audit;

    public SystemUploads(Vertx vertx, Optional<UploadPipeline> pipeline, ObjectLifecycle lifecycle, AuditLog audit) {
        this.vertx = vertx;
        this.pipeline = pipeline;
        this.lifecycle = lifecycle;
        this.audit = new RequestAudit(audit);
    }

    /**
     * Stores {@code content} for {@code owner}. @param via a code saying what made it ({@code incident-drill})
     * @return the committed object; failed with {@code upload.blocked} when the verdict kept it from being committed
     */
    public Future<StoredObject> store(UUID owner, byte[] content, String displayName, String contentType, String via) {
        if (pipeline.isEmpty()) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.SCANNER_UNAVAILABLE));
        }
        return vertx.executeBlocking(() -> pipeline.get().run(new ByteArrayInputStream(content), owner,
                Optional.of(displayName), Optional.of(contentType), false), false).compose(result -> {
            boolean committed = result.outcome() == UploadResult.Outcome.COMMITTED;
            AuditEvent.Builder entry = AuditEvent.builder(AuditAction.FILE_UPLOADED,
                            committed || result.outcome() == UploadResult.Outcome.QUARANTINED ? AuditOutcome.SUCCESS : AuditOutcome.DENIED)
                    .actorUser(owner).details(AuditDetails.builder().put("decision", result.verdict().decision())
                            .put("reasons", result.verdict().reasons().size()).putCode("via", via).build());
            result.object().ifPresent(o -> entry.object("file", o.id().value()));
            return audit.record(entry).recover(unaudited -> undo(result).transform(v -> Future.failedFuture(unaudited)))
                    .compose(receipt -> committed ? Future.succeededFuture(result.object().orElseThrow())
                            : undo(result).compose(v -> Future.failedFuture(new WardlineHttpException(ErrorCode.UPLOAD_BLOCKED))));
        });
    }

    /** What the pipeline kept (committed or quarantined) is deleted: its data key is destroyed. */
    private Future<Void> undo(UploadResult result) {
        if (result.object().isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            lifecycle.delete(result.object().get().id());
            return null;
        }, false);
    }
}
