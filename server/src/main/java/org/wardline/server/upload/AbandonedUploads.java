package org.wardline.server.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.ApiModule;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.object.ObjectLifecycle;

import java.time.Duration;
import java.util.List;

/**
 * The sweep of uploads a crash interrupted: at start and then every {@link #INTERVAL}, on one node of a
 * cluster at a time, objects PENDING for longer than {@code uploads.abandonedAfterMinutes} are discarded (the
 * row loses its file name, the data key is destroyed, ciphertext and unfinished parts are removed), each
 * with an audit entry.
 */
public final class AbandonedUploads implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedUploads.class);
    /** The advisory-lock key of the sweep ("WLABANDN"). */
    public static final long LOCK_KEY = 0x574c4142414e444eL;
    static final Duration INTERVAL = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final ObjectLifecycle lifecycle;
    private final AuditLog audit;
    private final SingleNodeJob singleNode;
    private final Duration age;

    public AbandonedUploads(Vertx vertx, ObjectLifecycle lifecycle, AuditLog audit, SingleNodeJob singleNode, Duration age) {
        this.vertx = vertx;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.singleNode = singleNode;
        this.age = age;
    }

    @Override
    public Future<Void> start() {
        vertx.setTimer(1, id -> sweep());
        vertx.setPeriodic(INTERVAL.toMillis(), id -> sweep());
        return Future.succeededFuture();
    }

    private void sweep() {
        run().onFailure(e -> LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName())
                .log("the sweep of abandoned uploads failed; it runs again later"));
    }

    /** One sweep; the objects discarded (none when another node holds the sweep). */
    public Future<List<BlobId>> run() {
        return singleNode.runAlone(() -> vertx.executeBlocking(() -> lifecycle.discardAbandonedObjects(age), false)
                        .compose(this::audited))
                .map(done -> done.orElse(List.of()));
    }

    private Future<List<BlobId>> audited(List<BlobId> discarded) {
        if (!discarded.isEmpty()) {
            LOG.atInfo().addKeyValue("objects", discarded.size()).log("abandoned uploads discarded");
        }
        return Future.all(discarded.stream().map(id -> audit.record(AuditEvent.builder(AuditAction.FILE_UPLOAD_ABANDONED,
                        AuditOutcome.SUCCESS).object("file", id.value()).build())).toList())
                .map(v -> discarded);
    }
}
