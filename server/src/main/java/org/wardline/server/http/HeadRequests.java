package org.wardline.server.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.ext.web.RoutingContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Answers HEAD as GET (RFC 9110 §9.3.2: same status and headers, no content). Routes are declared for GET only,
 * so without this a HEAD found no route (404 on HTTP/1.1) while GET of the same resource answered 200. The
 * request is routed again as a GET. Vert.x 5.0's HTTP/1.x response knows the request was HEAD and sends no body;
 * its HTTP/2 response does not (a client then sees DATA on a HEAD stream: PROTOCOL_ERROR), so on HTTP/2 the
 * request reaches the router with a response that keeps the status and headers and drops the content.
 *
 * <p>Only GET routes without side effects answer HEAD (an allow-list, so a new route is safe by default): a GET of a
 * share link's document, pages or download is audited and counts an open or the one download, and a mail gateway
 * that probes a link with HEAD must not use it up. Any other HEAD goes to the router as HEAD, which has no route
 * for it (404), with no content on either protocol.
 */
public final class HeadRequests implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.HEAD && answersAsGet(ctx.normalizedPath())) {
            ctx.reroute(HttpMethod.GET, ctx.request().uri());
        } else {
            ctx.next();
        }
    }

    /** True for the paths whose GET only reads: health, the CA and its CRL, static assets, a share link's page. */
    static boolean answersAsGet(String path) {
        return SIDE_EFFECT_FREE.matcher(path).matches();
    }

    private static final java.util.regex.Pattern SIDE_EFFECT_FREE = java.util.regex.Pattern.compile(
            "/health/(live|ready)|/pki/(ca|crl)|/app/?|/app/[^/]+|/share-assets/[^/]+|/s/[^/]+/?");

    /** The request as the router should see it: a HEAD over HTTP/2 gets a response that sends no content. */
    public static HttpServerRequest forRouter(HttpServerRequest request) {
        if (request.method() == HttpMethod.HEAD && request.version() == HttpVersion.HTTP_2
                && request instanceof HttpServerRequestInternal internal) {
            return new BodilessRequest(internal);
        }
        return request;
    }

    private static final class BodilessRequest extends HttpServerRequestWrapper {
        private final HttpServerResponse response;

        BodilessRequest(HttpServerRequestInternal delegate) {
            super(delegate);
            HttpServerResponse real = delegate.response();
            this.response = (HttpServerResponse) Proxy.newProxyInstance(HttpServerResponse.class.getClassLoader(),
                    new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> invoke(real, proxy, method, args));
        }

        @Override
        public HttpServerResponse response() {
            return response;
        }

        private static Object invoke(HttpServerResponse real, Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            int n = args == null ? 0 : args.length;
            if (name.equals("write") && method.getReturnType() == Future.class) {
                return Future.succeededFuture();
            }
            if ((name.equals("end") || name.equals("send")) && n > 0 && method.getReturnType() == Future.class) {
                if (args[0] instanceof Buffer b) {
                    lengthOnce(real, b.length());
                } else if (args[0] instanceof String s) {
                    lengthOnce(real, Buffer.buffer(s, n > 1 ? (String) args[1] : "UTF-8").length());
                }
                return real.end();
            }
            if (name.equals("sendFile") && method.getReturnType() == Future.class) {
                return real.end();
            }
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return result == real ? proxy : result;
        }

        private static void lengthOnce(HttpServerResponse real, int length) {
            if (!real.headWritten() && !real.isChunked() && !real.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                real.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
            }
        }
    }
}
