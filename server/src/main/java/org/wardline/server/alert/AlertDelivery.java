package org.wardline.server.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.alert.Alert;
import org.wardline.storage.audit.alert.AlertSink;

import java.time.Duration;
import java.util.List;

/**
 * Hands each alert to every channel and retries each channel on its own, with a doubling wait, up to its
 * number of attempts. The engine is answered at once (delivery goes on in the background, so a slow receiver
 * never holds back the next alert). A delivery that finally fails is not lost silently: it is written to the
 * audit trail ({@code alert.delivery_failed}), counted in {@code wardline_alert_delivery_failures_total} and logged.
 */
public final class AlertDelivery implements AlertSink {
    static final AuditAction DELIVERY_FAILED = new AuditAction("alert.delivery_failed");
    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

    /** A channel and how hard to try it. */
    record Route(AlertChannel channel, int maxAttempts, Duration firstRetry) {
    }

    private final Vertx vertx;
    private final List<Route> routes;
    private final AuditLog audit;

    AlertDelivery(Vertx vertx, List<Route> routes, AuditLog audit) {
        this.vertx = vertx;
        this.routes = List.copyOf(routes);
        this.audit = audit;
    }

    @Override
    public Future<Void> send(Alert alert) {
        AlertPayload payload = AlertPayload.of(alert);
        for (Route route : routes) {
            attempt(route, payload, 1).onSuccess(v -> count("wardline.alert.deliveries", route.channel().name()))
                    .onFailure(e -> failed(route, payload, e));
        }
        return Future.succeededFuture();
    }

    private Future<Void> attempt(Route route, AlertPayload payload, int n) {
        Future<Void> tried;
        try {
            tried = route.channel().deliver(payload).timeout(ATTEMPT_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            tried = Future.failedFuture(e);
        }
        return tried.recover(e -> {
            if (n >= route.maxAttempts()) {
                return Future.failedFuture(e);
            }
            LOG.atWarn().addKeyValue("channel", route.channel().name()).addKeyValue("alertId", payload.id())
                    .addKeyValue("attempt", n).addKeyValue("errorType", e.getClass().getSimpleName()).log("alert delivery failed; retrying");
            Duration wait = route.firstRetry().multipliedBy(1L << Math.min(n - 1, 20));
            Promise<Void> next = Promise.promise();
            vertx.setTimer(Math.min(wait.toMillis(), MAX_WAIT.toMillis()), id -> attempt(route, payload, n + 1).onComplete(next));
            return next.future();
        });
    }

    private void failed(Route route, AlertPayload payload, Throwable e) {
        count("wardline.alert.delivery.failures", route.channel().name());
        LOG.atError().addKeyValue("channel", route.channel().name()).addKeyValue("alertId", payload.id())
                .addKeyValue("rule", payload.alert().rule()).addKeyValue("auditEntrySeq", payload.alert().seq())
                .addKeyValue("errorType", e.getClass().getSimpleName()).log("alert NOT delivered after every attempt");
        audit.record(AuditEvent.builder(DELIVERY_FAILED, AuditOutcome.FAILURE).object("alert", payload.id())
                        .details(AuditDetails.builder().putCode("channel", route.channel().name()).putCode("rule", payload.alert().rule())
                                .put("auditEntrySeq", payload.alert().seq()).put("attempts", route.maxAttempts()).build())
                        .build())
                .onFailure(err -> LOG.atError().addKeyValue("alertId", payload.id()).log("alert delivery failure not audited"));
    }

    private static void count(String name, String channel) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry != null) {
            Counter.builder(name).tag("channel", channel).register(registry).increment();
        }
    }
}
