package org.wardline.server.auth.dpop;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.util.ArrayList;
import java.util.List;

/**
 * A browser cannot set headers on a WebSocket, so the web app's upgrade to the messaging socket carries its access
 * token and its DPoP proof as offered subprotocols, beside {@value #PROTOCOL} (the one the server selects):
 * {@code new WebSocket(url, ["wardline.v1", "dpop.proof." + proof, "dpop.token." + token])}; both are JWS compact
 * serialisations, whose characters are all valid in a subprotocol token. In front of {@link BrowserDeviceProofs},
 * this moves them to the {@code DPoP} and {@code Authorization: DPoP} headers they stand for, so the upgrade passes
 * exactly the checks of any other request, and marks the request so that the proof's {@code htu} must be the
 * {@code wss} address. An upgrade that carries them both ways, or one of the two only, or from a foreign
 * {@code Origin}, is refused.
 */
public final class WebSocketCredentials implements Handler<RoutingContext> {
    /** The subprotocol of Wardline's frame protocol (protocol/PROTOCOL.md), the one the server answers with. */
    public static final String PROTOCOL = "wardline.v1";
    public static final String PROOF_PREFIX = "dpop.proof.";
    public static final String TOKEN_PREFIX = "dpop.token.";
    static final String UPGRADE_KEY = "wardline.webSocketUpgrade";

    private final String path;
    private final String origin;

    /** {@code path}: the socket's path; {@code origin}: the web app's origin (scheme, host and port of the public URL). */
    public WebSocketCredentials(String path, String origin) {
        this.path = path;
        this.origin = origin;
    }

    /** The origin a browser sends for pages of {@code publicUrl}: scheme, host and the port unless it is the default. */
    public static String originOf(java.net.URI publicUrl) {
        int port = publicUrl.getPort();
        boolean defaultPort = port < 0 || ("https".equalsIgnoreCase(publicUrl.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(publicUrl.getScheme()) && port == 80);
        return publicUrl.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + publicUrl.getHost().toLowerCase(java.util.Locale.ROOT)
                + (defaultPort ? "" : ":" + port);
    }

    /** Whether the request is a WebSocket upgrade whose proof must name the {@code wss} address. */
    static boolean isUpgrade(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(UPGRADE_KEY));
    }

    @Override
    public void handle(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        if (!path.equals(ctx.normalizedPath()) || upgrade == null || !"websocket".equalsIgnoreCase(upgrade)) {
            ctx.next();
            return;
        }
        String proof = null;
        String token = null;
        for (String offered : offered(ctx.request().headers().getAll("Sec-WebSocket-Protocol"))) {
            if (offered.startsWith(PROOF_PREFIX)) {
                proof = proof == null ? offered.substring(PROOF_PREFIX.length()) : "";
            } else if (offered.startsWith(TOKEN_PREFIX)) {
                token = token == null ? offered.substring(TOKEN_PREFIX.length()) : "";
            }
        }
        if (proof == null && token == null) {
            ctx.next();
            return;
        }
        String from = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (from != null && !from.equalsIgnoreCase(origin)) {
            ctx.fail(new WardlineHttpException(ErrorCode.FORBIDDEN));
            return;
        }
        boolean headersToo = ctx.request().getHeader("DPoP") != null || ctx.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (headersToo || proof == null || token == null || proof.isEmpty() || token.isEmpty()) {
            ctx.fail(new WardlineHttpException(ErrorCode.DPOP_INVALID));
            return;
        }
        ctx.request().headers().set("DPoP", proof);
        ctx.request().headers().set(HttpHeaders.AUTHORIZATION, "DPoP " + token);
        ctx.put(UPGRADE_KEY, true);
        ctx.next();
    }

    private static List<String> offered(List<String> headers) {
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            for (String p : h.split(",")) {
                String t = p.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
