package org.wardline.server.health;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import org.wardline.server.log.PhiScrubber;

import java.util.List;

/**
 * {@code /health/live}: the process serves requests. {@code /health/ready}: every dependency answers; the
 * body names each one and, for those that are down, why (503 then).
 */
public final class HealthRoutes {
    private static final long CHECK_TIMEOUT_MILLIS = 3000;

    private final HealthCheckHandler ready;

    public HealthRoutes(Vertx vertx, List<DependencyCheck> checks) {
        HealthChecks health = HealthChecks.create(vertx);
        for (DependencyCheck check : checks) {
            health.register(check.name(), CHECK_TIMEOUT_MILLIS, promise -> check.probe().get().onComplete(ar -> {
                if (ar.succeeded()) {
                    promise.complete(Status.OK());
                } else {
                    Throwable t = ar.cause();
                    String reason = t.getClass().getSimpleName()
                            + (t.getMessage() == null ? "" : ": " + PhiScrubber.scrub(t.getMessage()));
                    promise.complete(Status.KO(new JsonObject().put("reason", reason)));
                }
            }));
        }
        this.ready = HealthCheckHandler.createWithHealthChecks(health);
    }

    public void mount(Router router) {
        router.get("/health/live").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "UP").encode()));
        router.get("/health/ready").handler(ready);
    }
}
