package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.http.WardlineHttpException;

import java.util.UUID;

/** Reading JSON request bodies and writing JSON answers, with malformed input refused as {@code request.invalid}. */
public final class JsonExchange {
    private JsonExchange() {
    }

    public static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject o = ctx.body() == null ? null : ctx.body().asJsonObject();
            if (o == null) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return o;
        } catch (DecodeException | ClassCastException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    public static String string(JsonObject o, String key, boolean required) {
        Object v = o.getValue(key);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank() || s.length() > 4096) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return s;
    }

    public static Secret<String> secret(JsonObject o, String key) {
        return Secret.of(string(o, key, true));
    }

    public static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    public static void reply(RoutingContext ctx, Future<?> answer) {
        reply(ctx, 200, answer);
    }

    public static void reply(RoutingContext ctx, int status, Future<?> answer) {
        answer.onSuccess(v -> {
            var r = ctx.response().setStatusCode(v == null ? 204 : status).putHeader("Cache-Control", "no-store");
            if (v == null) {
                r.end();
            } else {
                r.putHeader("Content-Type", "application/json").end(v instanceof JsonObject j ? j.encode() : String.valueOf(v));
            }
        }).onFailure(ctx::fail);
    }

    /** Runs {@code work}, turning a thrown refusal into a failed request. */
    public static void handle(RoutingContext ctx, java.util.function.Supplier<Future<?>> work) {
        try {
            reply(ctx, work.get());
        } catch (RuntimeException e) {
            ctx.fail(e);
        }
    }
}
