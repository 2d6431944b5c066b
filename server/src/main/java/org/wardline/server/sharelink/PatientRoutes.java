package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.SentBytes;
import org.wardline.server.http.StreamExecutors;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;
import org.wardline.storage.object.StoredObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The patient page on the public listener. {@code GET /s/:id} is the same static page for every ID and changes
 * nothing (link scanners); its script reads the secret from the URL fragment and POSTs it. Content needs the
 * session cookie a correct code set: {@code /s/:id/document}, {@code /s/:id/pages/:n} (view-only, watermarked PNG),
 * {@code /s/:id/pages/:n/text} (the same page's text, for screen readers), {@code /s/:id/download} (download mode,
 * once per session). A reload keeps the session: the page asks {@code /s/:id/document} before anything else.
 */
final class PatientRoutes {
    static final String COOKIE = "wl_share";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final int CHUNK = 256 * 1024;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> EXTENSIONS = Map.of("application/pdf", ".pdf", "image/png", ".png",
            "image/jpeg", ".jpg", "text/plain", ".txt");

    /** A session checked against its link and the link's file. */
    private record Viewer(ShareLink link, StoredObject file, byte[] tokenSha256) {
    }

    private final Vertx vertx;
    private final ShareLinkStore store;
    private final ObjectCatalog catalog;
    private final ObjectLifecycle lifecycle;
    private final RecipientVerification verification;
    private final ShareLinkAudit audit;
    private final DocumentRenderer renderer = new DocumentRenderer();
    private final Clock clock;
    private final StaticAssets assets;
    private final io.vertx.core.WorkerExecutor streams;
    private final io.vertx.core.WorkerExecutor rendering;
    private final ShareBranding branding;

    PatientRoutes(Vertx vertx, ShareLinkStore store, ObjectCatalog catalog, ObjectLifecycle lifecycle,
                  RecipientVerification verification, ShareLinkAudit audit, ShareBranding branding, Clock clock) {
        this.branding = branding;
        this.vertx = vertx;
        this.streams = StreamExecutors.streams(vertx);
        this.rendering = StreamExecutors.rendering(vertx);
        this.store = store;
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.verification = verification;
        this.audit = audit;
        this.clock = clock;
        this.assets = StaticAssets.load();
    }

    /** The patient's side needs no account: the link secret and the one-time code are the credentials. */
    void mount(RouteRegistry routes) {
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        routes.filter(pub, "/s/*", PatientRoutes::pageHeaders);
        routes.filter(pub, "/share-assets/*", PatientRoutes::pageHeaders);
        routes.on(pub, HttpMethod.GET, "/share-assets/share.js").permission(Permission.PUBLIC).handler(ctx -> assets.send(ctx, "share.js"));
        routes.on(pub, HttpMethod.GET, "/share-assets/share.css").permission(Permission.PUBLIC).handler(ctx -> assets.send(ctx, "share.css"));
        routes.on(pub, HttpMethod.GET, "/share-assets/branding.json").permission(Permission.PUBLIC).handler(branding::sendJson);
        routes.on(pub, HttpMethod.GET, "/share-assets/logo").permission(Permission.PUBLIC).handler(branding::sendLogo);
        routes.on(pub, HttpMethod.GET, "/s/:id").permission(Permission.PUBLIC).handler(ctx -> assets.send(ctx, "share.html"));
        routes.on(pub, HttpMethod.POST, "/s/:id/verify-start").permission(Permission.PUBLIC).json().handler(this::verifyStart);
        routes.on(pub, HttpMethod.POST, "/s/:id/verify").permission(Permission.PUBLIC).json().handler(this::verify);
        routes.on(pub, HttpMethod.GET, "/s/:id/document").permission(Permission.PUBLIC).handler(this::document);
        routes.on(pub, HttpMethod.GET, "/s/:id/pages/:n").permission(Permission.PUBLIC).handler(this::page);
        routes.on(pub, HttpMethod.GET, "/s/:id/pages/:n/text").permission(Permission.PUBLIC).handler(this::pageText);
        routes.on(pub, HttpMethod.GET, "/s/:id/download").permission(Permission.PUBLIC).handler(this::download);
    }

    static void pageHeaders(RoutingContext ctx) {
        ctx.response().headers().set("Content-Security-Policy", CSP).set("Cache-Control", "no-store")
                .set("X-Robots-Tag", "noindex, nofollow").set("Referrer-Policy", "no-referrer")
                .set("X-Frame-Options", "DENY");
        ctx.next();
    }

    static String source(RoutingContext ctx) {
        var remote = ctx.request().remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    private void verifyStart(RoutingContext ctx) {
        UUID id = linkId(ctx);
        JsonObject body = json(ctx);
        boolean resend;
        try {
            resend = body.getBoolean("resend", false);
        } catch (ClassCastException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        verification.start(ctx, id, body.getString("secret"), resend)
                .onSuccess(started -> sendJson(ctx, new JsonObject().put("channel", started.channel().name().toLowerCase(Locale.ROOT))
                        .put("expiresAt", started.expiresAt().toString()).put("attemptsLeft", started.attemptsLeft())
                        .put("sender", started.sender())))
                .onFailure(ctx::fail);
    }

    private void verify(RoutingContext ctx) {
        UUID id = linkId(ctx);
        JsonObject body = json(ctx);
        verification.verify(ctx, id, body.getString("secret"), body.getString("code")).onSuccess(opened -> {
            ctx.response().addCookie(Cookie.cookie(COOKIE, opened.sessionToken().reveal()).setPath("/s/" + id)
                    .setHttpOnly(true).setSecure(true).setSameSite(CookieSameSite.STRICT)
                    .setMaxAge(RecipientVerification.SESSION_LIFETIME.toSeconds()));
            sendJson(ctx, new JsonObject().put("mode", opened.link().mode().name().toLowerCase(Locale.ROOT)));
        }).onFailure(ctx::fail);
    }

    private void document(RoutingContext ctx) {
        session(ctx).compose(viewer -> {
            JsonObject body = new JsonObject().put("mode", viewer.link().mode().name().toLowerCase(Locale.ROOT))
                    .put("linkId", viewer.link().id().toString());
            if (viewer.link().mode() == ShareMode.DOWNLOAD) {
                return Future.succeededFuture(body.put("pages", 0));
            }
            String type = viewer.file().contentType().orElse("");
            if (!DocumentRenderer.viewable(type) || viewer.file().size().orElse(0) > DocumentRenderer.MAX_VIEWABLE_BYTES) {
                return Future.succeededFuture(body.put("pages", 0).put("viewable", false));
            }
            return rendering.executeBlocking(() -> {
                try (InputStream in = lifecycle.open(viewer.file().id())) {
                    return renderer.pageCount(type, in);
                }
            }, false).map(pages -> body.put("pages", pages).put("viewable", true));
        }).onSuccess(body -> sendJson(ctx, body)).onFailure(ctx::fail);
    }

    private static int pageNumber(RoutingContext ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("n"));
        } catch (NumberFormatException e) {
            throw new WardlineHttpException(ErrorCode.NOT_FOUND);
        }
    }

    /** Only view-only links of a viewable file have pages. */
    private static boolean hasPage(Viewer viewer, int n) {
        String type = viewer.file().contentType().orElse("");
        return viewer.link().mode() == ShareMode.VIEW && n >= 1 && DocumentRenderer.viewable(type)
                && viewer.file().size().orElse(0) <= DocumentRenderer.MAX_VIEWABLE_BYTES;
    }

    private String watermark(Viewer viewer) {
        return "For " + viewer.link().recipient().reveal() + " · " + STAMP.format(clock.instant())
                + " · link " + viewer.link().id();
    }

    /**
     * The text of a view-only page, for a screen reader beside the page image: extracted from the stored file (which
     * is committed only once scanned clean), marked with the same line as the image, and audited as a view.
     */
    private void pageText(RoutingContext ctx) {
        int n = pageNumber(ctx);
        session(ctx).compose(viewer -> {
            if (!hasPage(viewer, n)) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            String type = viewer.file().contentType().orElse("");
            String watermark = watermark(viewer);
            return rendering.executeBlocking(() -> {
                try (InputStream in = lifecycle.open(viewer.file().id())) {
                    return renderer.text(type, in, n - 1);
                } catch (IndexOutOfBoundsException e) {
                    throw new WardlineHttpException(ErrorCode.NOT_FOUND);
                }
            }, false).compose(text -> audit.recipient(ctx, ShareLinkAudit.VIEWED, AuditOutcome.SUCCESS, viewer.link().id(),
                    AuditDetails.builder().put("owner", viewer.link().owner()).put("page", n).putCode("rendition", "text").build())
                    .map(receipt -> new JsonObject().put("page", n).put("text", text).put("watermark", watermark)));
        }).onSuccess(body -> sendJson(ctx, body)).onFailure(ctx::fail);
    }

    private void page(RoutingContext ctx) {
        int n = pageNumber(ctx);
        session(ctx).compose(viewer -> {
            String type = viewer.file().contentType().orElse("");
            if (!hasPage(viewer, n)) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            String watermark = watermark(viewer);
            return rendering.executeBlocking(() -> {
                try (InputStream in = lifecycle.open(viewer.file().id())) {
                    return renderer.render(type, in, n - 1, watermark);
                } catch (IndexOutOfBoundsException e) {
                    throw new WardlineHttpException(ErrorCode.NOT_FOUND);
                }
            }, false).compose(png -> audit.recipient(ctx, ShareLinkAudit.VIEWED, AuditOutcome.SUCCESS, viewer.link().id(),
                    AuditDetails.builder().put("owner", viewer.link().owner()).put("page", n).build()).map(receipt -> png));
        }).onSuccess(png -> ctx.response().putHeader("Content-Type", "image/png")
                .putHeader("Content-Disposition", "inline").end(Buffer.buffer(png))).onFailure(ctx::fail);
    }

    private void download(RoutingContext ctx) {
        session(ctx).compose(viewer -> {
            if (viewer.link().mode() != ShareMode.DOWNLOAD) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            return store.markDownloaded(viewer.tokenSha256()).compose(first -> first
                    ? Future.succeededFuture(viewer)
                    : Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_SESSION_REQUIRED)));
        }).compose(viewer -> audit.recipient(ctx, ShareLinkAudit.DOWNLOAD_STARTED, AuditOutcome.SUCCESS, viewer.link().id(),
                        AuditDetails.builder().put("owner", viewer.link().owner()).put("file", viewer.file().id().value()).build())
                .map(receipt -> viewer)
                .recover(unaudited -> store.releaseDownload(viewer.tokenSha256()).transform(v -> Future.failedFuture(unaudited))))
                .compose(viewer -> streams.executeBlocking(() -> stream(ctx, viewer), false)
                        .recover(unopened -> store.releaseDownload(viewer.tokenSha256()).transform(v -> Future.failedFuture(unopened)))
                        .compose(sent -> downloaded(ctx, viewer, sent)))
                .onFailure(e -> {
                    if (!ctx.response().headWritten()) {
                        ctx.fail(e);
                    }
                });
    }

    /**
     * The entry says how many bytes went out and whether the download completed; one that did not gives the session's
     * download back for a retry within {@link ShareLinkStore#DOWNLOAD_RETRY_WINDOW}.
     */
    private Future<Void> downloaded(RoutingContext ctx, Viewer viewer, SentBytes sent) {
        AuditDetails details = AuditDetails.builder().put("owner", viewer.link().owner()).put("file", viewer.file().id().value())
                .put("bytesSent", sent.bytes()).put("bytesExpected", sent.expected()).put("completed", sent.completed()).build();
        Future<?> written = audit.recipient(ctx, ShareLinkAudit.DOWNLOADED,
                sent.completed() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, viewer.link().id(), details);
        return written.compose(v -> sent.completed() ? store.event(viewer.link().id(), "downloaded", "success")
                : store.releaseDownload(viewer.tokenSha256()).mapEmpty()).mapEmpty();
    }

    private SentBytes stream(RoutingContext ctx, Viewer viewer) throws Exception {
        StoredObject file = viewer.file();
        String type = DocumentRenderer.baseType(file.contentType().orElse("application/octet-stream"));
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Type", type.isEmpty() ? "application/octet-stream" : type)
                .putHeader("Content-Length", Long.toString(file.size().orElse(0)))
                .putHeader("Content-Disposition", "attachment; filename=\"wardline-document"
                        + EXTENSIONS.getOrDefault(type, "") + "\"");
        try (InputStream in = lifecycle.open(file.id())) {
            return SentBytes.pump(in, response, CHUNK, file.size().orElse(0));
        }
    }

    /** The session cookie's link, if the session is live, the link not revoked, locked or expired, the file there. */
    private Future<Viewer> session(RoutingContext ctx) {
        UUID id = linkId(ctx);
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue() == null || !cookie.getValue().matches("[A-Za-z0-9_-]{43}")) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_SESSION_REQUIRED));
        }
        byte[] token = LinkSecrets.sha256(cookie.getValue());
        return store.findSession(token, id).compose(session -> session.isEmpty()
                ? Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_SESSION_REQUIRED))
                : store.find(id)).compose(found -> {
            ShareLink link = found.orElseThrow(() -> new WardlineHttpException(ErrorCode.LINK_SESSION_REQUIRED)).link();
            LinkStatus status = link.status(clock.instant());
            if (status != LinkStatus.ACTIVE && status != LinkStatus.EXHAUSTED) {
                return Future.failedFuture(new WardlineHttpException(status.error()));
            }
            return catalog.findCommitted(link.object())
                    .recover(e -> Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_REVOKED)))
                    .map(file -> new Viewer(link, file, token));
        });
    }

    private static UUID linkId(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.NOT_FOUND);
        }
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private static void sendJson(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** The page's static files, read once from the classpath. */
    record StaticAssets(Map<String, Buffer> files) {
        private static final Map<String, String> TYPES = Map.of("share.html", "text/html; charset=utf-8",
                "share.js", "text/javascript; charset=utf-8", "share.css", "text/css; charset=utf-8");

        static StaticAssets load() {
            java.util.HashMap<String, Buffer> files = new java.util.HashMap<>();
            for (String name : TYPES.keySet()) {
                try (InputStream in = PatientRoutes.class.getResourceAsStream("web/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the share page file " + name + " is missing from the classpath");
                    }
                    files.put(name, Buffer.buffer(in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new StaticAssets(Map.copyOf(files));
        }

        void send(RoutingContext ctx, String name) {
            ctx.response().putHeader("Content-Type", TYPES.get(name)).end(files.get(name));
        }
    }
}
