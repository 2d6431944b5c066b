package org.wardline.server.health;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Asks every Vert.x event loop to run a no-op at a fixed interval, from a thread of its own, and counts the loops
 * that do not answer within {@code stallAfter} or have stopped altogether. An event loop that dies takes every
 * connection it owns with it and leaves the server up but refusing half of all new connections; this makes that
 * visible (a log line and {@link #stalls()}) instead of silent. Each stall episode counts once.
 */
public final class EventLoopWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopWatchdog.class);

    private final List<EventExecutor> loops = new ArrayList<>();
    private final AtomicLongArray answered;
    private final boolean[] stalled;
    private final Duration stallAfter;
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final ScheduledExecutorService ticker;

    private EventLoopWatchdog(Vertx vertx, Duration interval, Duration stallAfter) {
        ((VertxInternal) vertx).nettyEventLoopGroup().forEach(loops::add);
        this.answered = new AtomicLongArray(loops.size());
        this.stalled = new boolean[loops.size()];
        this.stallAfter = stallAfter;
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            answered.set(i, now);
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wardline-event-loop-watchdog");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching every event loop of {@code vertx}. */
    public static EventLoopWatchdog start(Vertx vertx, Duration interval, Duration stallAfter) {
        return new EventLoopWatchdog(vertx, interval, stallAfter);
    }

    private void probe() {
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            EventExecutor loop = loops.get(i);
            int index = i;
            boolean gone = loop.isShuttingDown() || loop.isTerminated();
            if (!gone) {
                try {
                    loop.execute(() -> answered.set(index, System.nanoTime()));
                } catch (RejectedExecutionException e) {
                    gone = true;
                }
            }
            long silentFor = now - answered.get(i);
            boolean late = gone || silentFor > stallAfter.toNanos();
            synchronized (stalled) {
                if (late && !stalled[i]) {
                    stalled[i] = true;
                    stalls.incrementAndGet();
                    LOG.atError().addKeyValue("loop", i).addKeyValue("silentMillis", TimeUnit.NANOSECONDS.toMillis(silentFor))
                            .addKeyValue("terminated", gone).log("event loop is not answering");
                } else if (!late) {
                    stalled[i] = false;
                }
            }
        }
        probes.incrementAndGet();
    }

    /** Stall episodes seen so far (a loop that stopped for good counts once). */
    public long stalls() {
        return stalls.get();
    }

    /** Probe rounds run so far, so a caller can tell the watchdog itself ran. */
    public long probes() {
        return probes.get();
    }

    public int loopCount() {
        return loops.size();
    }

    /** Loops not answering now (stalled or stopped). */
    public int silentLoops() {
        synchronized (stalled) {
            int n = 0;
            for (boolean s : stalled) {
                n += s ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * The readiness check {@code event-loops}: down while any loop is silent, so a load balancer stops sending to a
     * server that would reset a share of its new connections. It answers from whichever loop runs the check.
     */
    public DependencyCheck readinessCheck() {
        return new DependencyCheck("event-loops", () -> {
            int silent = silentLoops();
            return silent == 0 ? io.vertx.core.Future.succeededFuture() : io.vertx.core.Future.failedFuture(
                    new IllegalStateException(silent + " of " + loops.size() + " event loops not answering within "
                            + stallAfter.toMillis() + " ms"));
        });
    }

    /** {@code wardline.event.loops.silent} (loops not answering now) and a count of stall episodes, where metrics are on. */
    public EventLoopWatchdog withMetrics() {
        io.micrometer.core.instrument.MeterRegistry registry = io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
        if (registry != null) {
            io.micrometer.core.instrument.Gauge.builder("wardline.event.loops.silent", this, EventLoopWatchdog::silentLoops)
                    .description("Vert.x event loops not answering the watchdog now").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("wardline.event.loop.stalls", stalls, AtomicLong::get)
                    .description("Episodes of an event loop not answering the watchdog").register(registry);
        }
        return this;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
