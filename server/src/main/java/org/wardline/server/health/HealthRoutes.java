package org.wardline.server.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import org.wardline.server.log.PhiScrubber;

import java.time.Duration;
import java.util.List;

/**
 * {@code /health/live}: the process serves requests. {@code /health/ready}: every dependency answers; the
 * body names each one and, for those that are down or did not answer in time, why (503 then).
 *
 * <p>Each check is timed out here, as a DOWN status naming the check, rather than by the health-check
 * library: its own timeout fails the whole procedure (a 500 without the check's name) and leaves the late
 * answer to complete a promise that is already complete.
 */
public final class HealthRoutes {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    /** The library's own timeout, only a backstop behind ours. */
    private static final Duration LIBRARY_BACKSTOP = Duration.ofSeconds(30);

    private final HealthCheckHandler ready;

    public HealthRoutes(Vertx vertx, List<DependencyCheck> checks) {
        Duration timeout = CHECK_TIMEOUT;
        HealthChecks health = HealthChecks.create(vertx);
        for (DependencyCheck check : checks) {
            health.register(check.name(), LIBRARY_BACKSTOP.toMillis(), promise -> {
                long timer = vertx.setTimer(timeout.toMillis(), id -> promise.tryComplete(Status.KO(new JsonObject()
                        .put("reason", check.name() + " did not answer within " + timeout.toMillis() + " ms"))));
                probe(check).onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    promise.tryComplete(ar.succeeded() ? Status.OK() : Status.KO(new JsonObject().put("reason", reason(ar.cause()))));
                });
            });
        }
        this.ready = HealthCheckHandler.createWithHealthChecks(health);
    }

    private static Future<?> probe(DependencyCheck check) {
        try {
            return check.probe().get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static String reason(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + PhiScrubber.scrub(t.getMessage()));
    }

    public void mount(Router router) {
        router.get("/health/live").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "UP").encode()));
        router.get("/health/ready").handler(ready);
    }
}
