package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;

/**
 * The one place failures become responses: a stable code, a message a person can act on and the request
 * ID, as JSON. Exception messages are never echoed (they can carry PHI); the server log has the details.
 */
public final class FailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        ErrorCode code;
        JsonObject body = new JsonObject();
        if (failure instanceof WardlineHttpException w) {
            code = w.code();
            body = w.details();
        } else if (failure instanceof HttpException h) {
            code = ErrorCode.forStatus(h.getStatusCode());
        } else if (failure == null && status >= 400) {
            code = ErrorCode.forStatus(status);
        } else {
            code = ErrorCode.INTERNAL;
        }
        if (code.httpStatus() >= 500) {
            LOG.atError().setCause(failure).addKeyValue("requestId", RequestIds.of(ctx))
                    .addKeyValue("errorCode", code.code()).log("request failed");
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        // Headers a handler set for a body it never sent would contradict the error body.
        ctx.response().headers().remove("Content-Length").remove("Content-Range").remove("Content-Disposition");
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body
                        .put("error", code.code())
                        .put("message", code.message())
                        .put("requestId", RequestIds.of(ctx))
                        .encode());
    }
}
