package org.wardline.server.account;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each account event to every connected sink (the audit log, the alert rules, a test recorder). A sink
 * that throws does not stop the others nor the request.
 */
public final class AccountEventBus implements AccountEvents {
    private final List<AccountEvents> sinks = new CopyOnWriteArrayList<>();

    public AccountEventBus(AccountEvents... initial) {
        sinks.addAll(List.of(initial));
    }

    /** Connects a sink; returns this for chaining. */
    public AccountEventBus connect(AccountEvents sink) {
        sinks.add(sink);
        return this;
    }

    public void disconnect(AccountEvents sink) {
        sinks.remove(sink);
    }

    /** Every sink records it; fails when any sink that can tell could not make it durable. */
    @Override
    public Future<Void> recordDurably(AccountEvent event) {
        List<Future<Void>> written = new ArrayList<>();
        for (AccountEvents s : sinks) {
            try {
                written.add(s.recordDurably(event));
            } catch (RuntimeException e) {
                written.add(Future.failedFuture(e));
            }
        }
        return Future.all(written).mapEmpty();
    }

    @Override
    public void record(AccountEvent event) {
        for (AccountEvents s : sinks) {
            try {
                s.record(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(AccountEventBus.class).atError()
                        .addKeyValue("event", event.type().name()).addKeyValue("errorType", e.getClass().getSimpleName())
                        .log("an account-event sink failed");
            }
        }
    }
}
