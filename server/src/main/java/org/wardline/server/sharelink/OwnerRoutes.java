package org.wardline.server.sharelink;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.protocol.Secret;
import org.wardline.storage.blob.BlobId;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The device listener's share-link API for the owner: {@code POST /v1/share-links}, {@code GET /v1/share-links}
 * (with each link's open history), {@code POST /v1/share-links/:id/revoke}, {@code POST /v1/share-links/:id/unlock}
 * (and {@code /v1/admin/share-links/:id/unlock} for the security officer).
 */
final class OwnerRoutes {
    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ().-]{5,24}");

    private final ShareLinks links;
    private final Clock clock;

    OwnerRoutes(ShareLinks links, Clock clock) {
        this.links = links;
        this.clock = clock;
    }

    void mount(RouteRegistry routes) {
        RouteRegistry.Listener device = RouteRegistry.Listener.DEVICE;
        // A link sends a file outside the organisation: a fresh second factor is required to make one. Listing
        // and revoking one's own links need the same permission but no step-up (revoking only reduces exposure).
        routes.on(device, HttpMethod.POST, "/v1/share-links").permission(Permission.SHARE_LINK_CREATE).stepUp().json()
                .handler(this::create);
        routes.on(device, HttpMethod.GET, "/v1/share-links").permission(Permission.SHARE_LINK_CREATE).handler(this::list);
        routes.on(device, HttpMethod.POST, "/v1/share-links/:id/revoke").permission(Permission.SHARE_LINK_CREATE)
                .handler(this::revoke);
        // Unlocking lets guessing start again, so it takes a fresh second factor: the sender's own link, or any link
        // for the security officer who received the lock's alert.
        routes.on(device, HttpMethod.POST, "/v1/share-links/:id/unlock").permission(Permission.SHARE_LINK_CREATE).stepUp()
                .handler(ctx -> unlock(ctx, false));
        routes.on(device, HttpMethod.POST, "/v1/admin/share-links/:id/unlock").permission(Permission.ALERT_MANAGE).stepUp()
                .handler(ctx -> unlock(ctx, true));
    }

    private void create(RoutingContext ctx) {
        PeerIdentity peer = PeerIdentity.of(ctx);
        ShareLinks.Request request = parse(ctx);
        links.create(ctx, peer, request).onSuccess(created -> {
            JsonObject body = new JsonObject().put("id", created.link().id().toString())
                    .put("url", created.url().reveal())
                    .put("expiresAt", created.link().expiresAt().toString())
                    .put("maxOpens", created.link().maxOpens())
                    .put("mode", created.link().mode().name().toLowerCase(Locale.ROOT));
            created.phoneCode().ifPresent(code -> body.put("phoneCode", code.reveal()));
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(body.encode());
        }).onFailure(ctx::fail);
    }

    private static ShareLinks.Request parse(RoutingContext ctx) {
        JsonObject json;
        try {
            json = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        if (json == null) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        try {
            BlobId file = BlobId.parse(json.getString("fileId"));
            JsonObject recipient = json.getJsonObject("recipient");
            if (recipient == null) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            String email = recipient.getString("email");
            String phone = recipient.getString("phone");
            RecipientKind kind;
            String address;
            if (email != null && phone == null && EMAIL.matcher(email).matches()) {
                kind = RecipientKind.EMAIL;
                address = email;
            } else if (phone != null && email == null && PHONE.matcher(phone).matches()) {
                kind = RecipientKind.PHONE;
                address = phone;
            } else {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            int hours = json.getInteger("expiresInHours", ShareLinks.DEFAULT_EXPIRY_HOURS);
            int maxOpens = json.getInteger("maxOpens", ShareLinks.DEFAULT_MAX_OPENS);
            if (hours < 1 || maxOpens < 1 || maxOpens > ShareLinks.MAX_OPENS_CAP) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            ShareMode mode = switch (json.getString("mode", "view")) {
                case "view" -> ShareMode.VIEW;
                case "download" -> ShareMode.DOWNLOAD;
                default -> throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            };
            String justification = json.getString("justification");
            if (justification != null && justification.length() > 1000) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return new ShareLinks.Request(file, kind, Secret.of(address), Math.min(hours, ShareLinks.MAX_EXPIRY_HOURS),
                    maxOpens, mode, justification != null && !justification.isBlank());
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private void list(RoutingContext ctx) {
        PeerIdentity peer = PeerIdentity.of(ctx);
        links.list(peer.userId()).compose(all -> {
            List<io.vertx.core.Future<JsonObject>> entries = all.stream().map(listed -> links.history(listed.link().id())
                    .map(events -> {
                        JsonArray history = new JsonArray();
                        events.forEach(e -> history.add(new JsonObject().put("at", e.at().toString())
                                .put("event", e.kind()).put("outcome", e.outcome())));
                        return json(listed.link()).put("recipient", RecipientMask.mask(listed.link().recipientKind(),
                                        listed.link().recipient()))
                                .put("fileName", listed.fileName().map(Secret::reveal).orElse(null)).put("history", history);
                    })).toList();
            return io.vertx.core.Future.all(entries).map(done -> new JsonArray(done.<JsonObject>list()));
        }).onSuccess(array -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("links", array).encode())).onFailure(ctx::fail);
    }

    private JsonObject json(ShareLink link) {
        return new JsonObject().put("id", link.id().toString()).put("fileId", link.object().value().toString())
                .put("recipientKind", link.recipientKind().name().toLowerCase(Locale.ROOT))
                .put("mode", link.mode().name().toLowerCase(Locale.ROOT))
                .put("createdAt", link.createdAt().toString()).put("expiresAt", link.expiresAt().toString())
                .put("maxOpens", link.maxOpens()).put("opens", link.opens())
                .put("status", link.status(clock.instant()).name().toLowerCase(Locale.ROOT));
    }

    private void revoke(RoutingContext ctx) {
        PeerIdentity peer = PeerIdentity.of(ctx);
        links.revoke(ctx, peer, linkId(ctx)).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void unlock(RoutingContext ctx, boolean officer) {
        PeerIdentity peer = PeerIdentity.of(ctx);
        UUID id = linkId(ctx);
        links.unlock(ctx, peer, id, officer).onSuccess(unlocked -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("id", id.toString()).put("unlocked", unlocked).encode())).onFailure(ctx::fail);
    }

    private static UUID linkId(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.NOT_FOUND);
        }
    }
}
