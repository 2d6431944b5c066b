package org.wardline.server.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.auth.dpop.BrowserDevicePeer;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.SentBytes;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.StorageUnavailableException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.StoredObject;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Files on the device listener, and for browser devices on the public listener (ADR 0015z): {@code POST /v1/files}
 * streams an upload through the pipeline;
 * {@code GET /v1/files/:id} streams a committed file back to its owner, or to a device the grants allow (a current
 * member of a conversation it was shared into), decrypting as it goes, with single-range support. Every upload,
 * download and refusal is audited, and nothing is handed out unaudited: an upload whose entry cannot be written is
 * undone and refused, a download starts only after its {@code file.download.started} entry is committed and ends
 * with a {@code file.downloaded} entry giving the bytes sent and whether the response completed.
 * The file name travels base64url-encoded in {@code X-Wardline-File-Name} and is kept only in PostgreSQL.
 */
public final class FileRoutes implements ApiModule {
    static final String FILE_NAME_HEADER = "X-Wardline-File-Name";
    static final String JUSTIFICATION_HEADER = "X-Wardline-Justification";
    static final int MAX_JUSTIFICATION = 1000;
    private static final int CHUNK = 256 * 1024;
    static final AuditAction DOWNLOAD_STARTED = new AuditAction("file.download.started");

    private final Vertx vertx;
    private final Optional<UploadPipeline> pipeline;
    private final ObjectLifecycle lifecycle;
    private final ObjectCatalog catalog;
    private final RequestAudit audit;
    private final long maxBytes;
    private final FileReadGrants grants;
    private final io.vertx.core.WorkerExecutor streams;
    private final UploadWithdrawals withdrawals;

    /**
     * @param pipeline empty when no malware scanner is configured: uploads are then refused
     * @param grants   who besides the owner may download a file (conversation attachments)
     */
    public FileRoutes(Vertx vertx, Optional<UploadPipeline> pipeline, ObjectLifecycle lifecycle, ObjectCatalog catalog,
                      AuditLog audit, long maxBytes, FileReadGrants grants, io.vertx.sqlclient.Pool pool) {
        this.withdrawals = new UploadWithdrawals(pool);
        this.grants = grants;
        this.vertx = vertx;
        this.streams = org.wardline.server.http.StreamExecutors.streams(vertx);
        this.pipeline = pipeline;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.audit = new RequestAudit(audit);
        this.maxBytes = maxBytes;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.POST, "/v1/files").permission(Permission.FILE_UPLOAD)
                .handler(ctx -> upload(ctx, PeerIdentity.of(ctx)));
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.GET, "/v1/files/:id").permission(Permission.FILE_READ)
                .handler(ctx -> download(ctx, PeerIdentity.of(ctx)));
        // Browser devices, on the public listener with a DPoP proof from their key (ADR 0015z): the same handlers.
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, "/v1/files").permission(Permission.FILE_UPLOAD)
                .handler(ctx -> upload(ctx, BrowserDevicePeer.of(ctx)));
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, "/v1/files/:id").permission(Permission.FILE_READ)
                .handler(ctx -> {
                    PeerIdentity browser = BrowserDevicePeer.of(ctx);
                    ctx.request().resume(); // BrowserDeviceProofs paused it while it looked the key up
                    download(ctx, browser);
                });
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.DELETE, "/v1/files/:id").permission(Permission.FILE_UPLOAD)
                .handler(ctx -> withdraw(ctx, PeerIdentity.of(ctx)));
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.DELETE, "/v1/files/:id").permission(Permission.FILE_UPLOAD)
                .handler(ctx -> {
                    PeerIdentity browser = BrowserDevicePeer.of(ctx);
                    ctx.request().resume();
                    withdraw(ctx, browser);
                });
    }

    private void upload(RoutingContext ctx, PeerIdentity peer) {
        Optional<String> name;
        boolean justified;
        try {
            if (pipeline.isEmpty()) {
                throw new WardlineHttpException(ErrorCode.SCANNER_UNAVAILABLE);
            }
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > maxBytes) {
                throw new WardlineHttpException(ErrorCode.PAYLOAD_TOO_LARGE);
            }
            name = fileName(ctx);
            justified = justified(ctx);
        } catch (WardlineHttpException refused) {
            // Refused before the body is read: drained and the connection closed, so a client that reads only after
            // sending (the JDK's HttpClient) is not held until the idle timeout.
            UnreadBody.discardAndCloseAfterAnswer(ctx);
            ctx.fail(refused);
            return;
        }
        Optional<String> declared = Optional.ofNullable(ctx.request().getHeader("Content-Type"));
        RequestBodyStream body = new RequestBodyStream(ctx, maxBytes);
        streams.executeBlocking(() -> pipeline.get().run(body, peer.userId(), name, declared, justified), false)
                .onComplete(done -> UnreadBody.discardAndCloseAfterAnswer(ctx))
                .onSuccess(result -> respond(ctx, peer, result, justified))
                .onFailure(e -> uploadFailed(ctx, peer, e));
    }

    /**
     * Whether the uploader gave a reason for sending sensitive content: a header holding words, at most
     * {@value #MAX_JUSTIFICATION} characters (as a share link's reason); a blank one is no reason. The reason itself is
     * not kept (it may name a patient); that one was given goes into the upload's audit entry.
     */
    private static boolean justified(RoutingContext ctx) {
        String reason = ctx.request().getHeader(JUSTIFICATION_HEADER);
        if (reason != null && reason.length() > MAX_JUSTIFICATION) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return reason != null && !reason.isBlank();
    }

    private Optional<String> fileName(RoutingContext ctx) {
        String encoded = ctx.request().getHeader(FILE_NAME_HEADER);
        if (encoded == null || encoded.isBlank()) {
            return Optional.empty();
        }
        try {
            String name = new String(Base64.getUrlDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
            if (name.length() > 255 || name.chars().anyMatch(c -> c < 0x20)) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return Optional.of(name);
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private void respond(RoutingContext ctx, PeerIdentity peer, UploadResult result, boolean justified) {
        AuditOutcome outcome = switch (result.outcome()) {
            case COMMITTED, QUARANTINED -> AuditOutcome.SUCCESS;
            default -> AuditOutcome.DENIED;
        };
        audit.record(event(ctx, peer, AuditAction.FILE_UPLOADED, outcome, result.object().map(StoredObject::id).orElse(null),
                        AuditDetails.builder().put("decision", result.verdict().decision())
                                .put("reasons", result.verdict().reasons().size()).put("justified", justified).build()))
                .onSuccess(receipt -> reply(ctx, result))
                .onFailure(unaudited -> undo(result).onComplete(v -> ctx.fail(unaudited)));
    }

    /** An upload whose entry could not be written is not kept: not committed, not quarantined. */
    private Future<Void> undo(UploadResult result) {
        if (result.object().isEmpty()) {
            return Future.succeededFuture();
        }
        BlobId id = result.object().get().id();
        return vertx.executeBlocking(() -> {
            lifecycle.delete(id);
            return null;
        }, false);
    }

    private void reply(RoutingContext ctx, UploadResult result) {
        JsonObject body = new JsonObject().put("verdict", VerdictJson.of(result.verdict()));
        result.object().ifPresent(o -> body.put("id", o.id().value().toString())
                .put("state", o.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("size", o.size().orElse(-1))
                .put("sha256", o.sha256Hex().orElse(null))
                .put("contentType", o.contentType().orElse(null)));
        switch (result.outcome()) {
            case COMMITTED -> send(ctx, 201, body);
            case QUARANTINED -> send(ctx, 202, body);
            case BLOCKED -> sendError(ctx, ErrorCode.UPLOAD_BLOCKED, body);
            case INFECTED -> sendError(ctx, ErrorCode.UPLOAD_MALWARE, body);
            case JUSTIFICATION_REQUIRED -> sendError(ctx, ErrorCode.UPLOAD_JUSTIFICATION_REQUIRED, body);
        }
    }

    private void uploadFailed(RoutingContext ctx, PeerIdentity peer, Throwable e) {
        ErrorCode code;
        if (e instanceof UploadTooLargeException) {
            code = ErrorCode.PAYLOAD_TOO_LARGE;
        } else if (e instanceof UploadTruncatedException) {
            code = ErrorCode.UPLOAD_TRUNCATED;
        } else if (e instanceof ScannerUnavailableException || e instanceof org.wardline.dlp.inspect.ScanEndedEarlyException) {
            code = ErrorCode.SCANNER_UNAVAILABLE;
        } else if (e instanceof StorageUnavailableException) {
            code = ErrorCode.STORAGE_UNAVAILABLE;
        } else {
            ctx.fail(e);
            return;
        }
        if (code == ErrorCode.PAYLOAD_TOO_LARGE || code == ErrorCode.UPLOAD_TRUNCATED) {
            ctx.response().putHeader("Connection", "close");
        }
        // Nothing was kept, so the refusal stands whether or not its entry is written.
        audit.record(event(ctx, peer, AuditAction.FILE_UPLOADED, AuditOutcome.FAILURE, null,
                        AuditDetails.builder().putCode("error", code.code().replace('.', '-')).build()))
                .onComplete(v -> ctx.fail(new WardlineHttpException(code)));
    }

    private void download(RoutingContext ctx, PeerIdentity peer) {
        BlobId id;
        try {
            id = BlobId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            ctx.fail(new WardlineHttpException(ErrorCode.NOT_FOUND));
            return;
        }
        String range = ctx.request().getHeader("Range");
        catalog.findCommitted(id)
                .recover(e -> io.vertx.core.Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)))
                .compose(object -> object.owner().equals(peer.userId())
                        ? io.vertx.core.Future.succeededFuture(new Readable(object, "owner"))
                        : grants.mayRead(id, peer.deviceId()).compose(granted -> granted
                                ? io.vertx.core.Future.succeededFuture(new Readable(object, "conversation"))
                                : refused(ctx, peer, id)))
                .compose(readable -> audit.record(event(ctx, peer, DOWNLOAD_STARTED, AuditOutcome.SUCCESS, id,
                                AuditDetails.builder().putCode("via", readable.via()).build()))
                        .map(receipt -> readable))
                .compose(readable -> streams.executeBlocking(() -> stream(ctx, readable.object(), range), false)
                        .compose(sent -> audit.record(event(ctx, peer, AuditAction.FILE_DOWNLOADED,
                                sent.completed() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, id,
                                sent.details(readable.via())))))
                .onFailure(e -> {
                    if (!ctx.response().headWritten()) {
                        ctx.fail(e);
                    }
                });
    }

    /**
     * Takes back an upload ({@link UploadWithdrawals} says which): audited as {@code file.deleted} first, then
     * crypto-erased. Someone else's file, or none, is not found; one in use or under hold is a conflict.
     */
    private void withdraw(RoutingContext ctx, PeerIdentity peer) {
        BlobId id;
        try {
            id = BlobId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            ctx.fail(new WardlineHttpException(ErrorCode.NOT_FOUND));
            return;
        }
        withdrawals.check(id, peer.userId()).compose(answer -> switch (answer) {
                    case NOT_FOUND -> Future.<Void>failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
                    case IN_USE -> Future.<Void>failedFuture(new WardlineHttpException(ErrorCode.CONFLICT));
                    case WITHDRAWABLE -> audit.record(event(ctx, peer, AuditAction.FILE_DELETED, AuditOutcome.SUCCESS, id,
                                    AuditDetails.builder().putCode("reason", "withdrawn").build()))
                            .compose(receipt -> streams.executeBlocking(() -> {
                                lifecycle.delete(id);
                                return null;
                            }, false));
                })
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    /** A committed file this device may read, and why ({@code owner} or {@code conversation}). */
    private record Readable(StoredObject object, String via) {
    }

    /** A download that no ownership or grant allows: audited, and answered as if the file did not exist. */
    private io.vertx.core.Future<Readable> refused(RoutingContext ctx, PeerIdentity peer, BlobId id) {
        // Answered as not found whether or not the refusal's entry is written: nothing is released either way.
        return audit.record(event(ctx, peer, AuditAction.FILE_DOWNLOADED, AuditOutcome.DENIED, id, AuditDetails.empty()))
                .transform(v -> Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)));
    }

    /**
     * Sends the file (or its range). Fails before the first header when the file cannot be opened; once headers are
     * out it never fails, and says how many bytes the connection took and whether the response ended.
     */
    private SentBytes stream(RoutingContext ctx, StoredObject object, String range) throws Exception {
        BlobId id = object.id();
        long size = object.size().orElse(0);
        ByteRange r = ByteRange.parse(range, size);
        // Open (and so unwrap the data key) before any header is set: a key that cannot be unwrapped
        // must become a clean error response, not a truncated body.
        try (InputStream in = r.partial() ? lifecycle.openRange(id, r.start(), r.length()) : lifecycle.open(id)) {
            HttpServerResponse response = ctx.response();
            response.putHeader("Content-Type", object.contentType().orElse("application/octet-stream"))
                    .putHeader("Content-Disposition", "attachment") // never shown as a page of this origin
                    .putHeader("Accept-Ranges", "bytes")
                    .putHeader("Content-Length", Long.toString(r.length()));
            if (r.partial()) {
                response.setStatusCode(206).putHeader("Content-Range", r.contentRange(size));
            }
            return SentBytes.pump(in, response, CHUNK, r.partial() ? r.length() : size);
        }
    }

    private static AuditEvent.Builder event(RoutingContext ctx, PeerIdentity peer, AuditAction action,
                                            AuditOutcome outcome, BlobId object, AuditDetails details) {
        AuditEvent.Builder event = RequestAudit.event(ctx, peer.userId(), peer.deviceId(), action, outcome).details(details);
        if (object != null) {
            event.object("file", object.value());
        }
        return event;
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void sendError(RoutingContext ctx, ErrorCode code, JsonObject body) {
        send(ctx, code.httpStatus(), body.put("error", code.code()).put("message", code.message())
                .put("requestId", RequestIds.of(ctx)));
    }
}
