package org.wardline.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one refreshed status line on stderr while a benchmark runs: phase, elapsed time in the phase, units done
 * and the rate so far. On a terminal the line is rewritten in place; otherwise (a log file, CI) it is printed
 * as a new line every few seconds so the output stays readable.
 */
public final class Progress implements AutoCloseable {
    private static final long TERMINAL_MILLIS = 250;
    private static final long LOG_MILLIS = 5000;

    private final PrintStream err;
    private final boolean terminal;
    private final AtomicLong done = new AtomicLong();
    private final Thread ticker;
    private volatile String phase = "starting";
    private volatile String unit = "";
    private volatile long phaseStart = System.nanoTime();
    private volatile boolean closed;

    public Progress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
        this.ticker = Thread.ofPlatform().daemon().name("bench-progress").start(this::tick);
    }

    /** Progress on this process's stderr, in place when a terminal is attached. */
    public static Progress onStderr() {
        return new Progress(System.err, System.console() != null);
    }

    /** Starts a phase; {@code unit} names what {@link #add} counts ("msg", "conn", "MB"), empty for none. */
    public void phase(String name, String countedUnit) {
        this.done.set(0);
        this.unit = countedUnit;
        this.phaseStart = System.nanoTime();
        this.phase = name;
    }

    public void add(long n) {
        done.addAndGet(n);
    }

    public long done() {
        return done.get();
    }

    /** The status line as it is printed now. */
    public String line() {
        double elapsed = (System.nanoTime() - phaseStart) / 1e9;
        String u = unit;
        if (u.isEmpty()) {
            return String.format(Locale.ROOT, "%s  %.1f s", phase, elapsed);
        }
        long n = done.get();
        return String.format(Locale.ROOT, "%s  %.1f s  %,d %s  (%,.0f %s/s)", phase, elapsed, n, u,
                elapsed > 0 ? n / elapsed : 0, u);
    }

    private void tick() {
        long lastLog = 0;
        while (!closed) {
            try {
                Thread.sleep(TERMINAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            if (terminal) {
                synchronized (err) {
                    err.print("\r\033[K" + line());
                    err.flush();
                }
            } else if (System.currentTimeMillis() - lastLog >= LOG_MILLIS) {
                lastLog = System.currentTimeMillis();
                err.println(line());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
