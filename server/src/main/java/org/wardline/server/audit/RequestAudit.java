package org.wardline.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

import java.util.Objects;
import java.util.UUID;

/**
 * The audit entry of an HTTP request: actor and device, source address and request ID taken the same way for
 * every route, and written so that the caller can wait for it. An entry that cannot be written fails the
 * returned future with {@link ErrorCode#AUDIT_UNAVAILABLE}, is counted in {@value #UNWRITTEN_METRIC} by action,
 * and is logged without details; the caller then refuses the action rather than doing it unaudited.
 */
public final class RequestAudit {
    public static final String UNWRITTEN_METRIC = "wardline.audit.unwritten";
    private static final Logger LOG = LoggerFactory.getLogger(RequestAudit.class);

    private final AuditLog log;

    public RequestAudit(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** An entry for this request by {@code user} on {@code device} (either may be null: an anonymous recipient). */
    public static AuditEvent.Builder event(RoutingContext ctx, UUID user, UUID device, AuditAction action,
                                           AuditOutcome outcome) {
        return of(ctx, user, device, AuditEvent.builder(action, outcome));
    }

    /** {@code event} (built elsewhere, such as {@link TrailEntries}) as this request's, by {@code user} on {@code device}. */
    public static AuditEvent.Builder of(RoutingContext ctx, UUID user, UUID device, AuditEvent.Builder event) {
        event.requestId(RequestIds.of(ctx));
        if (user != null || device != null) {
            event.actor(user, device);
        }
        var remote = ctx.request().remoteAddress();
        if (remote != null) {
            SourceAddresses.parse(remote.hostAddress()).ifPresent(event::sourceIp);
        }
        return event;
    }

    /** Writes the entry; completes once it is committed, or fails with {@link ErrorCode#AUDIT_UNAVAILABLE}. */
    public Future<AuditReceipt> record(AuditEvent.Builder event) {
        AuditEvent built = event.build();
        Future<AuditReceipt> written;
        try {
            written = log.record(built);
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        return written.recover(e -> {
            countUnwritten(built.action());
            LOG.atError().addKeyValue("action", built.action().code()).addKeyValue("requestId", built.requestId())
                    .addKeyValue("errorType", e.getClass().getSimpleName()).log("audit entry not written; action refused");
            return Future.failedFuture(new WardlineHttpException(ErrorCode.AUDIT_UNAVAILABLE));
        });
    }

    /** The underlying trail, for entries outside a request (jobs, offboarding). */
    public AuditLog log() {
        return log;
    }

    /** Counts one entry of {@code action} that could not be written, for every path that refuses on it. */
    public static void countUnwritten(AuditAction action) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry != null) {
            Counter.builder(UNWRITTEN_METRIC).tag("action", action.code()).register(registry).increment();
        }
    }
}
