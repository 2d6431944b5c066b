package org.wardline.server.attachment;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.wire.WireLimits;
import org.wardline.server.ApiModule;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.auth.dpop.BrowserDevicePeer;
import org.wardline.server.delivery.ConversationFreezes;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectState;
import org.wardline.storage.object.StoredObject;

import java.util.HexFormat;

/**
 * {@code POST /v1/conversations/:groupId/attachments {"fileId": "…"}} on the device listener (and for browser devices
 * on the public listener, ADR 0015z): shares a file the
 * caller's user owns, committed (scanned clean), into a conversation the calling device is a current member of.
 * From then on every current member device may download it with {@code GET /v1/files/:id}. The group ID is the
 * MLS group ID in hex. The file's name and the message announcing it travel inside the conversation, end to end
 * encrypted; the server records IDs only.
 */
public final class AttachmentRoutes implements ApiModule {
    public static final String PATH = "/v1/conversations/:groupId/attachments";
    static final AuditAction FILE_ATTACHED = new AuditAction("file.attached");

    private final AttachmentStore store;
    private final ObjectCatalog catalog;
    private final RequestAudit audit;
    private final ConversationFreezes freezes;

    public AttachmentRoutes(AttachmentStore store, ObjectCatalog catalog, AuditLog audit, ConversationFreezes freezes) {
        this.store = store;
        this.catalog = catalog;
        this.audit = new RequestAudit(audit);
        this.freezes = freezes;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.POST, PATH).permission(Permission.MESSAGE_SEND).json()
                .handler(ctx -> share(ctx, PeerIdentity.of(ctx)));
        // Browser devices, on the public listener with a DPoP proof from their key (ADR 0015z).
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, PATH).permission(Permission.MESSAGE_SEND).json()
                .handler(ctx -> share(ctx, BrowserDevicePeer.of(ctx)));
    }

    private void share(RoutingContext ctx, PeerIdentity peer) {
        byte[] groupId;
        BlobId file;
        try {
            groupId = HexFormat.of().parseHex(ctx.pathParam("groupId"));
            JsonObject body = ctx.body().asJsonObject();
            file = BlobId.parse(body == null ? null : body.getString("fileId"));
        } catch (RuntimeException e) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        if (groupId.length == 0 || groupId.length > WireLimits.MAX_GROUP_ID_BYTES) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        catalog.find(file)
                .recover(e -> Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)))
                .compose(object -> shareable(object, peer))
                .compose(object -> freezes.isFrozen(groupId).compose(frozen -> frozen
                        ? Future.failedFuture(new WardlineHttpException(ErrorCode.CONVERSATION_FROZEN)) : Future.succeededFuture(object)))
                .compose(object -> store.share(groupId, file, peer.userId(), peer.deviceId()))
                .compose(conversation -> conversation.isPresent() ? Future.succeededFuture(conversation.get())
                        : Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_A_MEMBER)))
                .compose(conversation -> record(ctx, peer, file, AuditOutcome.SUCCESS,
                        AuditDetails.builder().put("conversation", conversation).build()))
                .onSuccess(receipt -> {
                    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("fileId", file.value().toString())
                                    .put("conversation", HexFormat.of().formatHex(groupId)).encode());
                })
                .onFailure(e -> {
                    if (e instanceof WardlineHttpException w && w.code() != ErrorCode.AUDIT_UNAVAILABLE) {
                        record(ctx, peer, file, AuditOutcome.DENIED,
                                AuditDetails.builder().putCode("error", w.code().code()).build())
                                .onComplete(v -> ctx.fail(e));
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    /** The caller's user must own the file (anyone else's looks missing), and it must be committed. */
    private static Future<StoredObject> shareable(StoredObject object, PeerIdentity peer) {
        if (!object.owner().equals(peer.userId()) || object.state() == ObjectState.DELETED) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
        }
        if (object.state() != ObjectState.COMMITTED) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.ATTACHMENT_NOT_READY));
        }
        return Future.succeededFuture(object);
    }

    private Future<AuditReceipt> record(RoutingContext ctx, PeerIdentity peer, BlobId file, AuditOutcome outcome,
                                        AuditDetails details) {
        return audit.record(RequestAudit.event(ctx, peer.userId(), peer.deviceId(), FILE_ATTACHED, outcome)
                .object("file", file.value()).details(details));
    }
}
