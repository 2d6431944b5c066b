package org.wardline.server.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.storage.Blocking;
import org.wardline.storage.blob.BlobBucket;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.BlobStore;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.ObjectState;
import org.wardline.storage.object.ObjectStateException;
import org.wardline.storage.object.StoredObject;
import org.wardline.storage.audit.AuditLog;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One enforcement of the retention policies: expired messages are deleted from PostgreSQL, expired files are
 * crypto-erased (data key destroyed) and their ciphertext removed from S3, expired share links stop working; each
 * item is checked gone afterwards and every batch is audited. A dry run lists the same items and changes nothing.
 * Audit entries are never pruned; the run reports how many are past audit retention.
 *
 * <p>Database work goes through the async pool; erasing files (minio-java) runs on a worker thread.
 */
public final class RetentionSweep {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    /** The advisory-lock key that lets one node of a cluster run the scheduled job at a time ("WLRETAIN"). */
    public static final long CLUSTER_LOCK_KEY = 0x574c52455441494eL;

    private final Vertx vertx;
    private final ExpiredData expired;
    private final RetentionStore store;
    private final ObjectLifecycle lifecycle;
    private final ObjectCatalog catalog;
    private final DataKeyStore dataKeys;
    private final BlobStore blobs;
    private final RetentionAudit audit;
    private final int batchSize;
    private final SingleNodeJob clusterWide;
    private final AtomicBoolean running = new AtomicBoolean();

    public RetentionSweep(Vertx vertx, ExpiredData expired, RetentionStore store, ObjectLifecycle lifecycle,
                          ObjectCatalog catalog, DataKeyStore dataKeys, BlobStore blobs, AuditLog audit, int batchSize,
                          SingleNodeJob clusterWide) {
        this.vertx = vertx;
        this.expired = expired;
        this.store = store;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.dataKeys = dataKeys;
        this.blobs = blobs;
        this.audit = new RetentionAudit(audit);
        this.batchSize = batchSize;
        this.clusterWide = clusterWide;
    }

    /** The scheduled job's run: empty when another node of the cluster is running it. */
    public Future<Optional<RetentionReport>> scheduled() {
        return clusterWide.runAlone(() -> run(false, null));
    }

    /** A run asked for through the admin API, recorded with who asked. */
    public Future<RetentionReport> run(boolean dryRun, UUID user, UUID device, String requestId) {
        return run(dryRun, new RetentionAudit.Actor(user, device, requestId));
    }

    private Future<RetentionReport> run(boolean dryRun, RetentionAudit.Actor actor) {
        if (!dryRun && !running.compareAndSet(false, true)) {
            return Future.failedFuture(new IllegalStateException("a retention run is already in progress"));
        }
        Instant started = Instant.now();
        RetentionReport.Tally messages = new RetentionReport.Tally(RetentionKind.MESSAGES);
        RetentionReport.Tally files = new RetentionReport.Tally(RetentionKind.FILES);
        RetentionReport.Tally links = new RetentionReport.Tally(RetentionKind.SHARE_LINKS);
        Future<Void> work = dryRun ? list(messages, files, links)
                : audit.started(actor).compose(v -> enforce(actor, messages, files, links));
        return work.compose(v -> store.auditDays()).compose(expired::auditPastRetention).map(backlog -> {
            RetentionReport report = new RetentionReport(dryRun, started, Instant.now(),
                    List.of(messages.section(), files.section(), links.section()), backlog);
            audit.run(actor, report);
            LOG.atInfo().addKeyValue("dryRun", dryRun).addKeyValue("messages", report.section(RetentionKind.MESSAGES).count())
                    .addKeyValue("files", report.section(RetentionKind.FILES).count())
                    .addKeyValue("shareLinks", report.section(RetentionKind.SHARE_LINKS).count())
                    .addKeyValue("auditPastRetention", backlog.entries()).log("retention run finished");
            return report;
        }).onComplete(r -> {
            if (!dryRun) {
                running.set(false);
            }
        });
    }

    private Future<Void> list(RetentionReport.Tally messages, RetentionReport.Tally files, RetentionReport.Tally links) {
        int limit = 100_000;
        return expired.expiredMessages(limit).compose(ids -> {
            messages.done(ids, 0);
            return expired.expiredFiles(limit);
        }).compose(ids -> {
            files.done(ids, 0);
            return expired.expiredShareLinks(limit);
        }).map(ids -> {
            links.done(ids, 0);
            return null;
        });
    }

    private Future<Void> enforce(RetentionAudit.Actor actor, RetentionReport.Tally messages, RetentionReport.Tally files,
                                 RetentionReport.Tally links) {
        return deleteMessages(actor, messages)
                .compose(v -> expireLinks(actor, links))
                .compose(v -> vertx.executeBlocking(() -> {
                    eraseFiles(actor, files);
                    return null;
                }, false));
    }

    private Future<Void> deleteMessages(RetentionAudit.Actor actor, RetentionReport.Tally tally) {
        return expired.deleteExpiredMessages(batchSize).compose(ids -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture();
            }
            return expired.messagesRemaining(ids).compose(left -> {
                tally.done(ids, ids.size() - left);
                return audit.deleted(actor, RetentionKind.MESSAGES, ids, left == 0).compose(v ->
                        ids.size() < batchSize ? Future.succeededFuture() : deleteMessages(actor, tally));
            });
        });
    }

    private Future<Void> expireLinks(RetentionAudit.Actor actor, RetentionReport.Tally tally) {
        return expired.expireShareLinks(batchSize).compose(ids -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture();
            }
            return expired.linksStillLive(ids).compose(left -> {
                tally.done(ids, ids.size() - left);
                return audit.deleted(actor, RetentionKind.SHARE_LINKS, ids, left == 0).compose(v ->
                        ids.size() < batchSize ? Future.succeededFuture() : expireLinks(actor, tally));
            });
        });
    }

    /** On a worker: erase each expired file, check that its row, data key and ciphertext are gone. */
    private void eraseFiles(RetentionAudit.Actor actor, RetentionReport.Tally tally) {
        Set<UUID> failed = new HashSet<>();
        while (true) {
            List<UUID> batch = Blocking.await(expired.expiredFiles(batchSize + failed.size()));
            List<UUID> todo = batch.stream().filter(id -> !failed.contains(id)).limit(batchSize).toList();
            if (todo.isEmpty()) {
                return;
            }
            List<UUID> gone = new java.util.ArrayList<>();
            for (UUID id : todo) {
                try {
                    BlobId blob = new BlobId(id);
                    StoredObject object = Blocking.await(catalog.find(blob));
                    if (Blocking.await(expired.ownerHeld(object.owner()))) {
                        failed.add(id); // a hold arrived since the batch was chosen: keep it
                        continue;
                    }
                    lifecycle.delete(blob);
                    if (erased(blob)) {
                        gone.add(id);
                    } else {
                        failed.add(id);
                        tally.failed();
                        Blocking.await(audit.failed(actor, RetentionKind.FILES, id, "not_verified_gone"));
                    }
                } catch (ObjectStateException e) {
                    failed.add(id); // deleted meanwhile (another node's run, the owner): nothing left to do here
                } catch (RuntimeException e) {
                    failed.add(id);
                    tally.failed();
                    Blocking.await(audit.failed(actor, RetentionKind.FILES, id, e.getClass().getSimpleName()));
                    LOG.atWarn().addKeyValue("objectId", id).addKeyValue("errorType", e.getClass().getSimpleName())
                            .log("retention could not erase a file");
                }
            }
            tally.done(gone, gone.size());
            Blocking.await(audit.deleted(actor, RetentionKind.FILES, gone, true));
            if (batch.size() < batchSize + failed.size() && gone.isEmpty()) {
                return;
            }
        }
    }

    private boolean erased(BlobId id) {
        StoredObject after = Blocking.await(catalog.find(id));
        return after.state() == ObjectState.DELETED && !Blocking.await(dataKeys.isLive(id))
                && !blobs.exists(BlobBucket.COMMITTED, id) && !blobs.exists(BlobBucket.QUARANTINE, id);
    }
}
