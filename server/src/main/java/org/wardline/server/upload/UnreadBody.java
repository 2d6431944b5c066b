package org.wardline.server.upload;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * An upload answered before its body was read to the end (S3 or clamd failed mid-stream, the body was too
 * large). The paused request would otherwise hold the client in its send until the listener's idle timeout
 * (120 s) and only then let it read the answer. So the rest of the body is read and discarded as it comes (a
 * client that reads while it sends, as curl and browsers do, hears the answer at once and stops), the answer
 * says {@code Connection: close}, and the connection is closed when the body ends or after
 * {@link #DRAIN_LIMIT_MILLIS}. It is not closed at once: closing with unread data makes TCP reset the
 * connection, and the reset can destroy an answer the client has not read yet. On HTTP/2 the stream is reset with
 * NO_ERROR after the answer instead (RFC 9113 section 8.1).
 */
final class UnreadBody {
    /**
     * How long the rest of a refused body is read before the connection is closed anyway: a client that reads
     * while it sends has the answer by then; one that reads only after sending (the JDK's HttpClient) learns
     * of the failure from the closed connection instead of after the whole body.
     */
    static final long DRAIN_LIMIT_MILLIS = 1_000;

    private UnreadBody() {
    }

    /** Call on the request's context before answering; does nothing when the body was read to its end. */
    static void discardAndCloseAfterAnswer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            request.handler(chunk -> { });
            request.resume();
            ctx.addBodyEndHandler(v -> ctx.response().reset(0));
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        HttpConnection connection = request.connection();
        long limit = ctx.vertx().setTimer(DRAIN_LIMIT_MILLIS, id -> connection.close());
        request.handler(chunk -> { });
        request.exceptionHandler(e -> { });
        request.endHandler(v -> {
            ctx.vertx().cancelTimer(limit);
            connection.close();
        });
        request.resume();
    }
}
